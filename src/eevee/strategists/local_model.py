"""A Hugging Face vision-language model in this process (Qwen2.5-VL, PaliGemma, any model
the Auto classes load as image-text-to-text), from a local folder, with an optional LoRA
adapter (peft, safetensors).

Heavy dependencies (``torch``, ``transformers``, ``peft``) are the ``models`` extra and are
imported only here, when this strategist is asked for; without them the error says what
to install. Nothing is downloaded: ``--model`` is a folder on this machine.

Decoding is greedy (deterministic: the same prompt gives the same answer). The answer is
parsed like any other model's; no grammar constrains it here.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eevee.errors import ConfigError
from eevee.strategists.model import BackendError, Reply
from eevee.strategists.prompt import Prompt

INSTALL = "pip install 'eevee[models]' (torch==2.13.0, transformers, peft)"


def chat_messages(prompt: Prompt) -> list[dict[str, Any]]:
    """``prompt`` in the chat format of Hugging Face processors (images as PIL images);
    an adapter is trained on exactly these messages."""
    from PIL import Image

    user: list[dict[str, Any]] = [{"type": "image", "image": Image.open(io.BytesIO(p))
                                   .convert("RGB")} for p in prompt.images]
    user.append({"type": "text", "text": prompt.user})
    return [{"role": "system", "content": [{"type": "text", "text": prompt.system}]},
            {"role": "user", "content": user}]


def model_inputs(processor: Any, messages: list[dict[str, Any]], *,
                 generation_prompt: bool = True) -> Any:
    """Token ids (and pixels) for ``messages``: the processor's chat template when it has
    one, else the texts joined after the images (PaliGemma's way)."""
    if getattr(processor, "chat_template", None):
        return processor.apply_chat_template(messages, add_generation_prompt=generation_prompt,
                                             tokenize=True, return_dict=True,
                                             return_tensors="pt")
    images = [p["image"] for m in messages for p in m["content"] if p["type"] == "image"]
    text = "\n".join(p["text"] for m in messages for p in m["content"] if p["type"] == "text")
    return processor(text=text, images=images or None, return_tensors="pt")


def load_processor(folder: Path) -> Any:
    """``AutoProcessor.from_pretrained(folder)``, or, where that needs torchvision and it
    cannot be imported (Qwen2.5-VL's processor brings a video processor; torchvision's
    wheels are CUDA builds that do not import beside a CPU-only torch), the same
    processor built from the folder's tokenizer, image processor and chat template, with
    no video processor: images and text work, videos do not (a strategist sends none)."""
    import transformers
    from transformers import AutoImageProcessor, AutoTokenizer, ProcessorMixin

    try:
        return transformers.AutoProcessor.from_pretrained(folder, local_files_only=True)
    except ImportError as exc:
        if "torchvision" not in str(exc).lower():
            raise
    conf = json.loads((folder / "processor_config.json").read_text(encoding="utf-8"))
    cls = getattr(transformers, str(conf.get("processor_class", "")), None)
    if cls is None:
        raise ConfigError(f"--model {folder}: its processor needs torchvision, which cannot "
                          "be imported here; install a torchvision that matches torch")
    check = ProcessorMixin.check_argument_for_proper_class

    def lenient(self: Any, attribute: str, value: Any) -> Any:  # (no video processor)
        return None if value is None else check(self, attribute, value)

    template = folder / "chat_template.jinja"
    with _LOAD_LOCK:
        ProcessorMixin.check_argument_for_proper_class = lenient  # type: ignore[method-assign]
        try:
            return cls(image_processor=AutoImageProcessor.from_pretrained(
                           folder, local_files_only=True),
                       tokenizer=AutoTokenizer.from_pretrained(folder, local_files_only=True),
                       video_processor=None,
                       chat_template=template.read_text(encoding="utf-8")
                       if template.exists() else None)
        finally:
            ProcessorMixin.check_argument_for_proper_class = check  # type: ignore[method-assign]


_LOAD_LOCK = threading.Lock()


class TransformersBackend:
    """The model in ``path`` (and the adapter in ``adapter``), answering in this process."""

    def __init__(self, path: str | Path, *, adapter: str | Path | None = None,
                 max_tokens: int = 256, device: str = "cpu") -> None:
        try:
            import torch
            import transformers
        except ImportError:
            raise ConfigError(f"--strategist transformers needs {INSTALL}") from None
        folder = Path(path)
        if not (folder / "config.json").is_file():
            raise ConfigError(f"--model {folder}: no model there (want a folder with "
                              "config.json and the weights, saved by save_pretrained)")
        try:
            self.processor = load_processor(folder)
            model = transformers.AutoModelForImageTextToText.from_pretrained(
                folder, local_files_only=True)
        except (OSError, ValueError, KeyError, ImportError) as exc:
            raise ConfigError(f"--model {folder}: cannot load it: {str(exc)[:160]}") from None
        if adapter is not None:
            model = self._adapter(model, Path(adapter))
        model.eval()
        model.to(device)  # type: ignore[arg-type]
        self.model = model
        self.torch = torch
        self.device = device
        self.max_tokens = max_tokens
        self.name = f"transformers:{folder.name}" + (f"+{Path(adapter).name}" if adapter else "")
        self._lock = threading.Lock()

    @staticmethod
    def _adapter(model: Any, adapter: Path) -> Any:
        try:
            from peft import PeftModel
        except ImportError:
            raise ConfigError(f"--adapter needs peft: {INSTALL}") from None
        if not (adapter / "adapter_config.json").is_file():
            raise ConfigError(f"--adapter {adapter}: no adapter there (want a folder with "
                              "adapter_config.json and adapter_model.safetensors)")
        try:
            return PeftModel.from_pretrained(model, adapter, is_trainable=False)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise ConfigError(f"--adapter {adapter}: cannot load it: {str(exc)[:160]}") from None

    def complete(self, prompt: Prompt, schema: Mapping[str, Any] | None) -> Reply:
        with self._lock:  # (one generation at a time)
            try:
                inputs = model_inputs(self.processor, chat_messages(prompt)).to(self.device)
                n_in = int(inputs["input_ids"].shape[1])
                with self.torch.inference_mode():
                    out = self.model.generate(**inputs, max_new_tokens=self.max_tokens,
                                              do_sample=False)
            except (RuntimeError, ValueError, IndexError) as exc:
                raise BackendError("model error", str(exc)[:120]) from None
        new = out[0, n_in:]
        text = self.processor.decode(new, skip_special_tokens=True)
        return Reply(text, n_in, int(new.shape[0]))

    def close(self) -> None:
        pass

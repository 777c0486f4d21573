"""Tiny, random-weight model checkpoints for strategist tests, built offline from code.

Nothing here downloads anything: the tokenizers are trained on a small built-in corpus with
the ``tokenizers`` library, the weights are random, and the checkpoints are written with
``save_pretrained`` (or, for llama.cpp, with the ``gguf`` package's ``GGUFWriter``).

* :func:`build_qwen25vl` - a Qwen2.5-VL checkpoint (model + processor + ChatML template).
* :func:`build_paligemma` - a PaliGemma checkpoint (Gemma text + SigLIP vision).
* :func:`train_lora` - a LoRA adapter that makes greedy decoding answer given chat examples.
* :func:`merge_lora` - the base with the adapter merged in, saved as a full checkpoint.
* :func:`write_tiny_gguf` - a llama-architecture GGUF that llama.cpp loads and runs.
* :func:`generate` - the greedy answer of a checkpoint (and adapter) to chat messages.

The heavy imports (torch, transformers, peft, gguf) happen inside the functions, so importing
this module is cheap; tests should ``pytest.importorskip`` what they need.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from eevee.strategists.local_model import load_processor

# Text the tokenizers are trained on: English instructions like a strategist's prompt and
# the JSON answers it gives, so that both tokenize into a few hundred tokens, not thousands.
_CORPUS = """\
You are the strategist of an agent that plays a Game Boy Advance game. You look at the screen
and at a description of the situation, and you choose what the agent should do next. Answer
with one JSON object and nothing else: the reasoning, the objective, a short list of actions,
a fallback and your confidence. Each action has a kind (goto, walk, talk, use, explore) and an
optional target cell given as two numbers. Keep the reasoning short. Prefer talking to people
you have not met, healing when the party is hurt, and exploring when nothing else is known.
The player stands in a small town. There is a house to the north, a path to the east and a
sign near the door. A person walks near the grass. The party has two monsters; the first one
is hurt. The map is mostly unexplored. The last action failed because a tree was in the way.
The player is in a cave with water to the west. Items: potion, rope, map. Money: 300.
The screen shows a menu, a battle, a dialogue box, or the overworld. Objective: reach the
next town, beat the gym leader, find the lost item, buy potions at the shop, visit the lab.
{"reasoning": "look around", "objective": "explore", "actions": [{"do": "explore"}],
"fallback": "explore", "confidence": 0.5}
{"reasoning": "the person may know the way", "objective": "talk to the person",
"actions": [{"do": "goto", "at": [3, 4]}, {"do": "talk"}], "fallback": "wait",
"confidence": 0.75}
{"reasoning": "the party is hurt", "objective": "heal", "actions": [{"do": "walk",
"at": [1, 2]}, {"do": "use"}], "fallback": "explore", "confidence": 1.0}
{"reasoning": "nothing is known yet", "objective": "explore the town", "actions":
[{"do": "walk", "at": [5, 6]}, {"do": "explore"}], "fallback": "wait", "confidence": 0.25}
0 1 2 3 4 5 6 7 8 9 10 16 32 64 100 128 160 240 320 480 1000
"""
# the answers in the line format, often enough that each word is one token (a tiny model
# copies a short answer of few tokens far more reliably than a long one)
_CORPUS += "STRATEGY: look around\nACTIONS: explore\nFALLBACK: explore\n" * 30

_QWEN_SPECIALS = (
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>",
    "<|object_ref_end|>", "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>",
    "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>",
)

# ChatML, as Qwen2.5-VL writes it: content is a string or a list of image/video/text parts.
QWEN_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' or 'image' in part or 'image_url' in part %}"
    "<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif part['type'] == 'video' or 'video' in part %}"
    "<|vision_start|><|video_pad|><|vision_end|>"
    "{% elif 'text' in part %}{{ part['text'] }}"
    "{% endif %}{% endfor %}{% endif %}"
    "<|im_end|>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

# PaliGemma has no chat format: its prompt is the images, then the text (the processor puts
# <bos> after the last <image> and a newline at the end). Earlier answers end with <eos>.
PALIGEMMA_CHAT_TEMPLATE = (
    "{% for message in messages %}{% if message['content'] is not string %}"
    "{% for part in message['content'] %}"
    "{% if part['type'] == 'image' or 'image' in part or 'image_url' in part %}<image>"
    "{% endif %}{% endfor %}{% endif %}{% endfor %}"
    "{% for message in messages %}"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'text' %}{{ part['text'] }}{% endif %}"
    "{% endfor %}{% endif %}"
    "{% if message['role'] == 'assistant' %}<eos>{% endif %}"
    "{% if not loop.last %}{{ '\\n' }}{% endif %}"
    "{% endfor %}"
)

_MODEL_FILES = {"config.json", "generation_config.json", "model.safetensors.index.json"}
_LM_TARGETS = r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)"


def _bpe(byte_level: bool, vocab_size: int) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Train a small BPE on :data:`_CORPUS`; return its vocab and merges.

    ``byte_level`` gives GPT-2/Qwen style byte-level tokens (``Ġ`` for a space); otherwise the
    SentencePiece-like Gemma style (``▁`` for a space, characters, byte fallback added later).
    """
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, trainers
    from tokenizers.models import BPE

    tok = Tokenizer(BPE())
    if byte_level:
        from transformers.models.qwen2.tokenization_qwen2 import PRETOKENIZE_REGEX

        tok.normalizer = normalizers.NFC()
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(PRETOKENIZE_REGEX), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ])
        alphabet = pre_tokenizers.ByteLevel.alphabet()
    else:
        tok.normalizer = normalizers.Replace(" ", "▁")
        tok.pre_tokenizer = pre_tokenizers.Split("▁", behavior="merged_with_next")
        alphabet = [chr(c) for c in range(32, 127) if chr(c) != " "] + ["▁", "\n"]
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, initial_alphabet=alphabet,
                                  show_progress=False)
    tok.train_from_iterator(_CORPUS.splitlines(keepends=True), trainer)
    model = json.loads(tok.to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
    return dict(model["vocab"]), merges  # type: ignore[arg-type]


def build_qwen25vl(out: Path, *, seed: int = 0) -> Path:
    """Save a tiny random Qwen2.5-VL (model, tokenizer, image processor, template) in ``out``.

    Text model: hidden 64, 2 layers; vision: hidden 32, depth 2. The image processor keeps at
    most 28*28*32 pixels, so a 240x160 or 480x320 frame becomes 24 image tokens. The special
    tokens come after the ~600 learned ones, and the config's ids point at them.
    Load it back with ``AutoProcessor`` / ``AutoModelForImageTextToText.from_pretrained(out)``.
    """
    import torch
    from transformers import (
        GenerationConfig,
        Qwen2_5_VLConfig,
        Qwen2_5_VLForConditionalGeneration,
        Qwen2Tokenizer,
    )
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import (
        Qwen2VLImageProcessorPil,
    )

    vocab, merges = _bpe(byte_level=True, vocab_size=600)
    for token in _QWEN_SPECIALS:
        vocab[token] = len(vocab)
    tokenizer = Qwen2Tokenizer(vocab=vocab, merges=merges, unk_token=None,
                               eos_token="<|im_end|>", pad_token="<|endoftext|>",
                               model_max_length=32768)
    tokenizer.add_special_tokens({"additional_special_tokens": list(_QWEN_SPECIALS)})
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in _QWEN_SPECIALS}
    assert all(ids[t] == vocab[t] for t in _QWEN_SPECIALS), ids

    image_processor = Qwen2VLImageProcessorPil(min_pixels=28 * 28 * 4, max_pixels=28 * 28 * 32)

    text = {
        "vocab_size": len(tokenizer), "hidden_size": 64, "intermediate_size": 128,
        "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
        "max_position_embeddings": 32768, "rms_norm_eps": 1e-6,
        "rope_parameters": {"rope_type": "default", "rope_theta": 1000000.0,
                            "mrope_section": [2, 3, 3]},  # sums to head_dim / 2 = 8
        "bos_token_id": ids["<|endoftext|>"], "eos_token_id": ids["<|im_end|>"],
        "pad_token_id": ids["<|endoftext|>"], "tie_word_embeddings": False,
    }
    vision = {
        "depth": 2, "hidden_size": 32, "intermediate_size": 64, "num_heads": 2,
        "out_hidden_size": 64, "patch_size": 14, "spatial_merge_size": 2,
        "temporal_patch_size": 2, "window_size": 56, "fullatt_block_indexes": [1],
    }
    config = Qwen2_5_VLConfig(
        text_config=text, vision_config=vision, image_token_id=ids["<|image_pad|>"],
        video_token_id=ids["<|video_pad|>"], vision_start_token_id=ids["<|vision_start|>"],
        vision_end_token_id=ids["<|vision_end|>"], tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    model = Qwen2_5_VLForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(
        bos_token_id=ids["<|endoftext|>"], pad_token_id=ids["<|endoftext|>"],
        eos_token_id=[ids["<|im_end|>"], ids["<|endoftext|>"]], do_sample=False,
    )
    out = Path(out)
    model.save_pretrained(out, safe_serialization=True)
    # What Qwen2_5_VLProcessor.save_pretrained writes, without building the processor, which
    # needs a video processor and so torchvision (see load_processor).
    tokenizer.save_pretrained(out)
    image_processor.save_pretrained(out)
    (out / "chat_template.jinja").write_text(QWEN_CHAT_TEMPLATE)
    (out / "processor_config.json").write_text(
        json.dumps({"processor_class": "Qwen2_5_VLProcessor"}, indent=2) + "\n")
    return out


def build_paligemma(out: Path, *, seed: int = 0) -> Path:
    """Save a tiny random PaliGemma (Gemma text, SigLIP vision, processor) in ``out``.

    Text model: hidden 64, 2 layers; vision: hidden 32, 1 layer, 56x56 images in 14-pixel
    patches, so every image is 16 ``<image>`` tokens. The tokenizer is a Gemma-style BPE with
    byte fallback and ``<pad> <eos> <bos> <unk> <mask>`` as ids 0-4; the processor adds
    ``<image>`` and PaliGemma's 1152 ``<loc…>``/``<seg…>`` tokens. Its chat template puts the
    images first and joins the messages' text; greedy answers end with ``<eos>``.
    """
    import torch
    from transformers import (
        GemmaTokenizer,
        GenerationConfig,
        PaliGemmaConfig,
        PaliGemmaForConditionalGeneration,
        PaliGemmaProcessor,
    )
    from transformers.models.siglip.image_processing_pil_siglip import SiglipImageProcessorPil

    specials = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>"]
    learned, merges = _bpe(byte_level=False, vocab_size=500)
    vocab = {t: i for i, t in enumerate(specials)}
    for token in [*learned, *(f"<0x{b:02X}>" for b in range(256))]:
        vocab.setdefault(token, len(vocab))
    tokenizer = GemmaTokenizer(vocab=vocab, merges=merges, model_max_length=8192)

    image_size, patch = 56, 14
    image_processor = SiglipImageProcessorPil(size={"height": image_size, "width": image_size})
    image_processor.image_seq_length = (image_size // patch) ** 2
    processor = PaliGemmaProcessor(image_processor=image_processor, tokenizer=tokenizer,
                                   chat_template=PALIGEMMA_CHAT_TEMPLATE)
    tokenizer = processor.tokenizer  # now with <image>, <loc…> and <seg…>
    image_id = tokenizer.convert_tokens_to_ids("<image>")

    text = {
        "model_type": "gemma", "vocab_size": len(tokenizer), "hidden_size": 64,
        "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 1, "head_dim": 16, "max_position_embeddings": 8192,
        "pad_token_id": 0, "eos_token_id": 1, "bos_token_id": 2,
    }
    vision = {
        "model_type": "siglip_vision_model", "hidden_size": 32, "intermediate_size": 64,
        "num_hidden_layers": 1, "num_attention_heads": 2, "image_size": image_size,
        "patch_size": patch, "vision_use_head": False,
    }
    config = PaliGemmaConfig(
        text_config=text, vision_config=vision, image_token_index=image_id,
        vocab_size=len(tokenizer), projection_dim=64, hidden_size=64,
        pad_token_id=0, eos_token_id=1, bos_token_id=2,
    )
    torch.manual_seed(seed)
    model = PaliGemmaForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(bos_token_id=2, eos_token_id=1, pad_token_id=0,
                                               do_sample=False)
    out = Path(out)
    model.save_pretrained(out, safe_serialization=True)
    processor.save_pretrained(out)
    return out


def _encode(processor: Any, messages: list[dict[str, Any]], answer: str | None) -> dict[str, Any]:
    """Tokenize ``messages`` with the generation prompt; with ``answer``, append it + eos.

    With an answer the result has ``labels``: -100 over the prompt, the answer ids after it.
    """
    import torch

    enc = dict(processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=True,
                                             return_dict=True, return_tensors="pt"))
    enc.pop("labels", None)  # PaliGemma's processor gives all -100 labels for a prompt
    if answer is None:
        return enc
    tok = processor.tokenizer
    ids = [*tok(answer, add_special_tokens=False)["input_ids"], tok.eos_token_id]
    tail = torch.tensor([ids], dtype=enc["input_ids"].dtype)
    n = enc["input_ids"].shape[1]
    enc["labels"] = torch.cat([torch.full((1, n), -100, dtype=tail.dtype), tail], dim=1)
    enc["input_ids"] = torch.cat([enc["input_ids"], tail], dim=1)
    enc["attention_mask"] = torch.cat([enc["attention_mask"], torch.ones_like(tail)], dim=1)
    if "token_type_ids" in enc:  # PaliGemma: the answer is the causal suffix
        enc["token_type_ids"] = torch.cat([enc["token_type_ids"], torch.ones_like(tail)], dim=1)
    if "mm_token_type_ids" in enc:  # Qwen2.5-VL: text, not image, tokens
        enc["mm_token_type_ids"] = torch.cat(
            [enc["mm_token_type_ids"], torch.zeros_like(tail)], dim=1)
    return enc


def train_lora(base: Path, out: Path, examples: list[tuple[list[dict[str, Any]], str]], *,
               steps: int = 150, r: int = 8, seed: int = 0) -> Path:
    """Train a LoRA adapter on ``base`` so greedy decoding answers each example; save in ``out``.

    ``examples`` are (chat messages, answer) pairs; messages are HF chat dicts whose content
    is a string or a list of parts, an image part being ``{"type": "image", "image": PIL}``.
    The adapter (rank ``r``, on the language model's attention and MLP projections) is trained
    with the loss on the answer tokens and the end-of-turn token only, full batch, ``steps``
    AdamW steps. It is saved as ``out/adapter_model.safetensors`` with its config.
    """
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForImageTextToText

    torch.manual_seed(seed)
    processor = load_processor(base)
    model = AutoModelForImageTextToText.from_pretrained(base, dtype=torch.float32)
    lora = LoraConfig(r=r, lora_alpha=2 * r, lora_dropout=0.0, target_modules=_LM_TARGETS,
                      init_lora_weights=True)
    model = get_peft_model(model, lora)
    batches = [_encode(processor, messages, answer) for messages, answer in examples]
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-2, weight_decay=0.0)
    model.train()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = sum(model(**batch).loss for batch in batches) / len(batches)
        loss.backward()
        optimizer.step()
    model.eval()
    out = Path(out)
    model.save_pretrained(out, safe_serialization=True)
    return out


def merge_lora(base: Path, adapter: Path, out: Path) -> Path:
    """Merge ``adapter`` into ``base`` and save the full model and its processor in ``out``."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForImageTextToText

    model = AutoModelForImageTextToText.from_pretrained(base, dtype=torch.float32)
    merged = PeftModel.from_pretrained(model, adapter).merge_and_unload()
    out = Path(out)
    merged.save_pretrained(out, safe_serialization=True)
    for f in Path(base).iterdir():  # the processor's files, as they are
        if f.is_file() and f.name not in _MODEL_FILES and not f.name.endswith(".safetensors"):
            shutil.copy2(f, out / f.name)
    return out


def generate(model_dir: Path, messages: list[dict[str, Any]], *, adapter: Path | None = None,
             max_new_tokens: int = 80) -> str:
    """Greedy answer of the checkpoint in ``model_dir`` (with ``adapter``, if any) to ``messages``.

    Special tokens are dropped from the text, so a trained answer comes back exactly.
    """
    import torch
    from transformers import AutoModelForImageTextToText

    processor = load_processor(model_dir)
    model = AutoModelForImageTextToText.from_pretrained(model_dir, dtype=torch.float32).eval()
    if adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter).eval()
    enc = _encode(processor, messages, None)
    with torch.no_grad():
        ids = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False)
    new = ids[0, enc["input_ids"].shape[1]:]
    return str(processor.tokenizer.decode(new, skip_special_tokens=True))


# ChatML for llama.cpp's Jinja-less formatters too: string content only, as OpenAI servers send.
GGUF_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def write_tiny_gguf(path: Path, *, seed: int = 0, n_embd: int = 64, n_layer: int = 2) -> Path:
    """Write a tiny random llama-architecture GGUF (f32) that llama.cpp loads, to ``path``.

    n_embd 64, 2 layers, 4 heads (2 KV heads), context 8192. Its tokenizer is the byte-level
    BPE of :func:`build_qwen25vl` (``tokenizer.ggml.model`` "gpt2", pre-tokenizer "qwen2"),
    with ``<|endoftext|>`` as bos and pad, ``<|im_end|>`` as eos, and a ChatML template.
    Random weights write gibberish, but grammar-constrained sampling still makes valid JSON.
    """
    import gguf
    import numpy as np

    vocab, merges = _bpe(byte_level=True, vocab_size=600)
    tokens = sorted(vocab, key=vocab.__getitem__)
    assert [vocab[t] for t in tokens] == list(range(len(tokens)))
    types = [gguf.TokenType.NORMAL] * len(tokens)
    for special in _QWEN_SPECIALS:
        tokens.append(special)
        types.append(gguf.TokenType.CONTROL)
    ids = {t: i for i, t in enumerate(tokens)}

    n_vocab, n_ff, n_head, n_kv = len(tokens), 2 * n_embd, max(4, n_embd // 16), 2
    head_dim = n_embd // n_head
    rng = np.random.default_rng(seed)

    def weight(*shape: int) -> Any:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    path = Path(path)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("eevee-tiny-test")
    writer.add_context_length(8192)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_kv)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_vocab_size(n_vocab)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges([f"{a} {b}" for a, b in merges])
    writer.add_bos_token_id(ids["<|endoftext|>"])
    writer.add_eos_token_id(ids["<|im_end|>"])
    writer.add_pad_token_id(ids["<|endoftext|>"])
    writer.add_add_bos_token(False)
    writer.add_chat_template(GGUF_CHAT_TEMPLATE)

    writer.add_tensor("token_embd.weight", weight(n_vocab, n_embd))
    for i in range(n_layer):
        blk = f"blk.{i}"
        writer.add_tensor(f"{blk}.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        writer.add_tensor(f"{blk}.attn_q.weight", weight(n_embd, n_embd))
        writer.add_tensor(f"{blk}.attn_k.weight", weight(n_kv * head_dim, n_embd))
        writer.add_tensor(f"{blk}.attn_v.weight", weight(n_kv * head_dim, n_embd))
        writer.add_tensor(f"{blk}.attn_output.weight", weight(n_embd, n_embd))
        writer.add_tensor(f"{blk}.ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
        writer.add_tensor(f"{blk}.ffn_gate.weight", weight(n_ff, n_embd))
        writer.add_tensor(f"{blk}.ffn_up.weight", weight(n_ff, n_embd))
        writer.add_tensor(f"{blk}.ffn_down.weight", weight(n_embd, n_ff))
    writer.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    writer.add_tensor("output.weight", weight(n_vocab, n_embd))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path

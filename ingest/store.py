"""The vector store: Chroma on disk by default, a `chroma run` server when FOOTNOTES_CHROMA_HOST is set.

Writes always carry our own vectors (see `ingest.embeddings`); Chroma's default embedding function
is never involved. Reads for LangChain go through `langchain_chroma.Chroma` (`vectorstore()`).
"""

from __future__ import annotations

import errno
import json
import os
import re

from ingest.errors import IngestError
from ingest.settings import Settings
from ingest.types import Note, Passage

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

BATCH = 500
# Chroma's HNSW index is approximate: with its default search breadth (100) a query for the 60 nearest of a
# few hundred passages misses one or two, and which ones depends on how far the index has been flushed since
# the last ingest — so the same question could be answered differently on two runs. A breadth well above
# the pool retrieval asks for makes the search exact at this size and costs well under a millisecond.
EF_SEARCH = 400


def _disk_full(exc: BaseException) -> bool:
    """ENOSPC anywhere in the exception chain, or SQLite's and Chroma's words for it."""
    while exc is not None:
        if getattr(exc, "errno", None) == errno.ENOSPC or re.search(r"disk is full|no space left|disk full", str(exc), re.I):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class StoreError(IngestError):
    """The store cannot be reached or used; the message says where and what to do."""

    def __init__(self, reason: str):
        super().__init__("vector store", reason)


class Store:
    def __init__(self, settings: Settings, fresh: bool = False):
        """`fresh`: drop chromadb's per-process client cache first, to see other processes' writes."""
        import chromadb
        from chromadb.api.client import SharedSystemClient
        from chromadb.config import Settings as ChromaSettings

        if fresh and not settings.chroma_host:
            SharedSystemClient.clear_system_cache()
        self.settings = settings
        self.name = settings.collection_name
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        try:
            if settings.chroma_host:
                self.where = f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
                self.client = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, ssl=settings.chroma_ssl, settings=chroma_settings
                )
                self.client.heartbeat()
            else:
                path = settings.data_path / "chroma"
                path.mkdir(parents=True, exist_ok=True)
                self.where = f"Chroma on disk at {path}"
                self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self.collection = self._open_collection()
        except IngestError:
            raise
        except Exception as exc:
            raise StoreError(self._explain(exc)) from exc

    def _explain(self, exc: Exception) -> str:
        if self.settings.chroma_host:
            return (f"cannot reach the Chroma server at {self.settings.chroma_host}:{self.settings.chroma_port} "
                    f"({exc.__class__.__name__}); start it with `chroma run --path DIR --port "
                    f"{self.settings.chroma_port}` or unset FOOTNOTES_CHROMA_HOST")
        where = self.settings.data_path / "chroma"
        if _disk_full(exc):  # a rebuild would need more space still: say so
            return (f"the disk holding {where} is full ({exc}); free some space, then run `footnotes ingest` "
                    "again — what was ingested before is intact (do not use --rebuild: it needs more space)")
        return (f"cannot use Chroma in {where} ({exc}); if the folder was damaged or half-copied, "
                "run `footnotes ingest --rebuild`")

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise StoreError(self._explain(exc)) from exc

    # --- writes ------------------------------------------------------------------------------
    def upsert(self, ids: list[str], vectors: list[list[float]], documents: list[str], metadatas: list[dict]) -> None:
        for i in range(0, len(ids), BATCH):
            self._call(self.collection.upsert, ids=ids[i : i + BATCH], embeddings=vectors[i : i + BATCH],
                       documents=documents[i : i + BATCH], metadatas=metadatas[i : i + BATCH])

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), BATCH):
            self._call(self.collection.delete, ids=list(ids[i : i + BATCH]))

    def reset(self) -> None:
        """Drop and recreate the collection (`footnotes ingest --rebuild`)."""
        try:
            self.client.delete_collection(self.name)
        except Exception:
            pass  # absent already
        self.collection = self._call(self._open_collection)

    def _open_collection(self):
        """The collection, searched with `EF_SEARCH` (raised on a collection made before it was set)."""
        collection = self.client.get_or_create_collection(
            self.name, configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}}, embedding_function=None
        )
        hnsw = (collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search", 0) < EF_SEARCH:
            collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
        return collection

    # --- reads -------------------------------------------------------------------------------
    def all_ids(self) -> list[str]:
        return self._call(self.collection.get, include=[])["ids"]

    def get(self, ids: list[str] | None = None) -> list[tuple[str, str, dict]]:
        """(id, document, metadata) for `ids` (all when None)."""
        out = []
        if ids is None:
            got = self._call(self.collection.get, include=["documents", "metadatas"])
            return list(zip(got["ids"], got["documents"], got["metadatas"]))
        for i in range(0, len(ids), BATCH):
            got = self._call(self.collection.get, ids=list(ids[i : i + BATCH]), include=["documents", "metadatas"])
            out.extend(zip(got["ids"], got["documents"], got["metadatas"]))
        return out

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        """The stored embedding of each id (footnotes are compared with questions without re-embedding)."""
        out = {}
        for i in range(0, len(ids), BATCH):
            got = self._call(self.collection.get, ids=list(ids[i : i + BATCH]), include=["embeddings"])
            out.update(zip(got["ids"], got["embeddings"]))
        return out

    def vectors_by_input(self, ids: list[str], embed_input) -> dict[str, list[float]]:
        """Stored vectors of `ids`, keyed by the text they were computed from (`embed_input(record)`)."""
        out = {}
        for i in range(0, len(ids), BATCH):
            got = self._call(self.collection.get, ids=list(ids[i : i + BATCH]), include=["documents", "metadatas", "embeddings"])
            for rid, text, meta, vector in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"]):
                out[embed_input((rid, text, meta))] = list(vector)
        return out

    def query(self, vector: list[float], n: int) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the `n` nearest records."""
        n = max(1, min(n, self.count()))
        got = self._call(self.collection.query, query_embeddings=[vector], n_results=n, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(got["ids"][0], got["distances"][0])]

    def count(self) -> int:
        return self._call(self.collection.count)

    def vectorstore(self, embeddings):
        """The same collection through LangChain's VectorStore interface."""
        from langchain_chroma import Chroma

        return Chroma(client=self.client, collection_name=self.name, embedding_function=embeddings)


def passage_record(p: Passage) -> tuple[str, str, dict]:
    """How a passage is stored: its repaired text as the document, everything else as metadata."""
    meta = {
        "kind": "passage",
        "doc_id": p.doc_id,
        "title": p.title,
        "section": json.dumps(list(p.section), ensure_ascii=False),
        "author": p.author or "",
        "page": p.page if p.page is not None else -1,
        "start": p.start,
        "end": p.end,
        "markers": ",".join(map(str, p.markers)),
        "sha": p.sha,
        "date": p.date or "",
    }
    return p.id, p.text, meta


def passage_from_record(pid: str, text: str, meta: dict) -> Passage:
    return Passage(
        id=pid,
        doc_id=meta["doc_id"],
        title=meta["title"],
        section=tuple(json.loads(meta["section"])),
        author=meta["author"] or None,
        page=None if meta["page"] == -1 else meta["page"],
        start=meta["start"],
        end=meta["end"],
        markers=tuple(int(x) for x in meta["markers"].split(",") if x),
        text=text,
        sha=meta["sha"],
        date=meta["date"] or None,
    )


def note_record(doc_id: str, title: str, note: Note, carriers: list[str], sha: str) -> tuple[str, str, dict]:
    """A footnote stored in its own right, linked to the passages that carry its marker."""
    meta = {
        "kind": "note",
        "doc_id": doc_id,
        "title": title,
        "number": note.number,
        "refers_to": note.refers_to or 0,
        "urls": json.dumps(list(note.urls)),
        "start": note.start,
        "end": note.end,
        "passages": json.dumps(carriers),
    }
    return f"{doc_id}#note{note.number}:{sha[:12]}", note.text, meta


def note_from_record(text: str, meta: dict) -> Note:
    return Note(number=meta["number"], text=text, urls=tuple(json.loads(meta["urls"])),
                refers_to=meta["refers_to"] or None, start=meta["start"], end=meta["end"])


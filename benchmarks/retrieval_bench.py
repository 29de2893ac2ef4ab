"""`footnotes bench retrieval`: evidence recall@k of Footnotes' retrieval against the tutorial recipe,
and across passage sizes (how the default `passage_words` was chosen).

A question counts as a hit when every one of its evidence quotes is covered by one of the first k
retrieved texts (the judge's `evidence_recall@k`, see `assistant.metrics.covers`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from assistant.engine import Assistant
from assistant.evaluate import load_questions
from assistant.metrics import covers
from assistant.retrieve import unit_text
from ingest.embeddings import get_embeddings
from ingest.pipeline import ingest
from ingest.settings import Settings

GRID = [(80, 1), (120, 0), (120, 1), (160, 1)]


def _recall(texts_for, questions: list[dict], k: int) -> float:
    answerable = [q for q in questions if q["type"] != "unanswerable"]
    hits = 0
    for q in answerable:
        texts = texts_for(q)[:k]
        hits += all(any(covers(t, e["quote"]) for t in texts) for e in q["evidence"])
    return round(hits / max(1, len(answerable)), 3)


def footnotes_recall(settings: Settings, questions: list[dict], k: int) -> float:
    """Recall of the assistant's own retrieval step (parts, hops, steering from the previous answer)."""
    assistant = Assistant(settings)

    def texts_for(q):
        history = [assistant.ask(q["previous"], generator="extractive")] if q.get("previous") else []
        index, _, hits, _ = assistant.find_evidence(q["question"], history, k)
        return [unit_text(index, h) for h in hits]

    return _recall(texts_for, questions, k)


def tutorial_recall(settings: Settings, questions: list[dict], ks: tuple[int, ...]) -> dict[int, float]:
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": p.name})
            for p in sorted(settings.corpus_dir.iterdir()) if p.suffix in (".md", ".txt")]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    with tempfile.TemporaryDirectory() as tmp:
        store = Chroma.from_documents(chunks, get_embeddings(settings), persist_directory=tmp,
                                      client_settings=ChromaSettings(anonymized_telemetry=False, is_persistent=True,
                                                                     persist_directory=tmp))
        return {k: _recall(lambda q: [d.page_content for d in store.similarity_search(_query(q), k=k)], questions, k)
                for k in ks}


def run(settings: Settings, questions_file: str | None) -> str:
    path = Path(questions_file) if questions_file else Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
    questions = load_questions(path)
    lines = [f"questions: {path}", "", "| retrieval | recall@4 | recall@5 | recall@8 |", "|---|---|---|---|"]
    tutorial = tutorial_recall(settings, questions, (4, 5, 8))
    lines.append(f"| tutorial recipe (1000/200 chunks, dense top-k) | {tutorial[4]} | {tutorial[5]} | {tutorial[8]} |")
    for words, overlap in GRID:
        with tempfile.TemporaryDirectory() as tmp:
            variant = settings.model_copy(update={"passage_words": words, "passage_overlap_sentences": overlap,
                                                  "data_dir": Path(tmp), "chroma_host": None})
            ingest(variant)
            row = [footnotes_recall(variant, questions, k) for k in (4, 5, 8)]
        default = " (default)" if (words, overlap) == (settings.passage_words, settings.passage_overlap_sentences) else ""
        lines.append(f"| Footnotes, {words}-word passages, overlap {overlap}{default} | " + " | ".join(map(str, row)) + " |")
    return "\n".join(lines)

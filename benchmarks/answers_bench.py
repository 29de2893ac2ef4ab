"""`footnotes bench answers`: the tutorial recipe and Footnotes on the same questions, one run.

The tutorial recipe: RecursiveCharacterTextSplitter(1000/200) + the same embedding model + Chroma
top-4, and the classic prompt ("use the following context … if you don't know, say so") answered
by the same local model, free text. Both answer files are scored with the same metrics as the
judge's scorer (`assistant.metrics`).
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

from assistant.engine import Assistant
from assistant.evaluate import load_questions, run_eval
from assistant.metrics import summarize
from ingest.settings import Settings

CLASSIC_PROMPT = (
    "Use the following pieces of context to answer the question at the end. If you don't know the answer, "
    "just say that you don't know, don't try to make up an answer.\n\n{context}\n\nQuestion: {question}\nHelpful Answer:"
)
_DONT_KNOW = re.compile(r"\b(?:don't|do not|doesn't|does not) (?:know|say|mention)|not (?:mentioned|provided|in the)", re.I)
COLUMNS = ["accuracy", "precision", "abstain_correct", "evidence_recall@5", "cites_gold", "citation_grounded",
           "footnote_hit", "latency_p50_ms", "answer_words_p50"]


def _default_questions() -> Path:
    return Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


def tutorial_answers(settings: Settings, questions: list[dict], out: Path) -> list[dict]:
    """The recipe most tutorials ship, with the bundled model; no citations, no memory."""
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.generators.local import load_model
    from assistant.generators.model_files import model_path
    from ingest.embeddings import get_embeddings

    docs = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": p.name})
            for p in sorted(settings.corpus_dir.iterdir()) if p.suffix in (".md", ".txt")]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Chroma.from_documents(chunks, get_embeddings(settings), persist_directory=tmp,
                                      client_settings=ChromaSettings(anonymized_telemetry=False, is_persistent=True,
                                                                     persist_directory=tmp))
        loaded = load_model(model_path(settings), settings.llm_threads, 4096)
        for q in questions:
            started = time.perf_counter()
            found = store.similarity_search(q["question"], k=4)
            prompt = CLASSIC_PROMPT.format(context="\n\n".join(d.page_content for d in found), question=q["question"])
            with loaded.lock:
                out_text = loaded.llm.create_chat_completion(messages=[{"role": "user", "content": prompt}],
                                                             temperature=0.0, max_tokens=160)["choices"][0]["message"]["content"]
            records.append({"id": q["id"], "answer": out_text.strip(), "abstained": bool(_DONT_KNOW.search(out_text)),
                            "citations": [], "retrieved": [{"file": d.metadata["source"], "text": d.page_content} for d in found],
                            "latency_ms": round((time.perf_counter() - started) * 1000, 1)})
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return records


def run(settings: Settings, questions_file: str | None, generator: str) -> str:
    path = Path(questions_file) if questions_file else _default_questions()
    questions = load_questions(path)
    with tempfile.TemporaryDirectory() as tmp:
        tutorial = tutorial_answers(settings, questions, Path(tmp) / "tutorial.jsonl")
        ours = run_eval(Assistant(settings), questions, Path(tmp) / "footnotes.jsonl", generator=generator)
    rows = [("tutorial recipe (k=4, classic prompt)", summarize(questions, tutorial, settings.corpus_dir)),
            (f"Footnotes ({generator})", summarize(questions, ours, settings.corpus_dir))]
    lines = ["| system | " + " | ".join(COLUMNS) + " |", "|---|" + "---|" * len(COLUMNS)]
    for name, result in rows:
        lines.append(f"| {name} | " + " | ".join(str(result.get(c)) for c in COLUMNS) + " |")
    return f"questions: {path} ({len(questions)})\n\n" + "\n".join(lines)

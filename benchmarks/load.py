"""Load test of the served web app: concurrent chat sessions through `gradio_client`, with and
without a re-ingest of a changed document running at the same time.

Each session is its own `gradio_client.Client` (its own Gradio session) holding its own
conversation: it asks `questions_per_session` questions through the app's `/ask` endpoint — the
same handler as the page's Ask button, returning the stored turn as data — passing its
conversation id back so follow-ups are folded into the conversation. Questions are drawn
deterministically from `QUESTIONS` (answerable ones about each corpus document, two follow-ups,
one the corpus cannot answer).

Every answer is checked: no error, and every citation grounded — its `quote` is non-empty and
equals `text[start:end]` of the cited corpus file, read the way ingest reads it
(`ingest.loaders.load_text`). A re-ingest changes a file while answers are in flight, so a quote
may rest on the version before or after the change: every version of a file seen during the run
is kept and a citation is grounded if it matches one of them exactly.

Reported: answers, errors, grounded share, throughput (answers/s over the wall time of the
asking phase), client-side latency p50/p95/max per question (submit → final answer), and for a
re-ingest its duration and the answers completed while it ran. Everything stops by itself at a
global deadline (`timeout_s`); questions not answered by then count as errors.

    python -m benchmarks.load --url http://127.0.0.1:7860/ --corpus corpus      # a running `footnotes serve`
    python -m benchmarks.load --self-host                                       # own app on a corpus copy
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # gradio_client's telemetry thread reads it

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
# Small, so the index swap lands mid-run (answers before, during and after it), and cited by the questions.
CHANGED_DOCUMENT = "mod-2023-kihara-asean-informal-meeting.txt"


@dataclass(frozen=True)
class Question:
    text: str
    follow_up: bool = False  # only meaningful after the question before it in QUESTIONS
    answerable: bool = True


# My own wordings about the documents in corpus/ (not the evaluation set's).
QUESTIONS: tuple[Question, ...] = (
    Question("What is JASMINE and when was it launched?"),
    Question("What are its four pillars?", follow_up=True),
    Question("Where was the 8th ASEAN-Japan Defence Ministers' Informal Meeting held, and who attended in person?"),
    Question("How does the Sasakawa Peace Foundation proposal define defense diplomacy?"),
    Question("Why does the SPF proposal call for a cross-ministerial command center for defense diplomacy?"),
    Question("What does the Vientiane Vision 2.0 say about heart-to-heart cooperation?"),
    Question("When did the Ministry of Defense set up its Capacity Building Assistance Office?"),
    Question("What does Shoji's paper say about ReCAAP and piracy in Southeast Asia?"),
    Question("Which programs has Japan already delivered under JASMINE?"),
    Question("What is Official Security Assistance (OSA) meant to do, according to Minister Kihara?"),
    Question("How does the NIDS paper describe the Ministry of Defense's engagement with Pacific Island countries?"),
    Question("What did the SPF authors propose about strategic communications?"),
    Question("What was discussed at the 14th Japan-ASEAN Defense Vice-Ministerial Forum?"),
    Question("And when was it held?", follow_up=True),
    Question("What was the final score of the 2022 FIFA World Cup final?", answerable=False),
)


def session_questions(session: int, count: int, questions: tuple[Question, ...] = QUESTIONS) -> list[Question]:
    """The deterministic script of one session: `count` consecutive questions (wrapping around),
    starting 4 further along for each session, never starting on a follow-up."""
    start = (session * 4) % len(questions)
    while questions[start].follow_up:
        start -= 1
    return [questions[(start + i) % len(questions)] for i in range(count)]


# --- grounding ------------------------------------------------------------------------------------


class Grounding:
    """Checks citations against the corpus files, keeping every version of a file seen in the run."""

    def __init__(self, corpus_dir: Path, max_file_mb: float = 50.0):
        self.corpus_dir = Path(corpus_dir)
        self.max_file_mb = max_file_mb
        self._versions: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        for path in sorted(self.corpus_dir.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                self._read(path.name)

    def _read(self, name: str) -> None:
        from ingest.errors import IngestError
        from ingest.loaders import SUPPORTED, load_text

        path = self.corpus_dir / name
        if path.suffix.lower() not in SUPPORTED or path.parent.resolve() != self.corpus_dir.resolve():
            return
        try:
            text = load_text(path, self.max_file_mb)
        except (IngestError, OSError):
            return
        with self._lock:
            versions = self._versions.setdefault(name, [])
            if text not in versions:
                versions.append(text)

    def check(self, citation: dict) -> str | None:
        """None if grounded, else why not."""
        file, start, end, quote = (citation.get(k) for k in ("file", "start", "end", "quote"))
        if not file or not isinstance(start, int) or not isinstance(end, int) or not quote:
            return f"incomplete citation {({k: citation.get(k) for k in ('file', 'start', 'end')})}"
        for attempt in range(2):
            with self._lock:
                versions = list(self._versions.get(file, []))
            if any(text[start:end] == quote for text in versions):
                return None
            if attempt == 0:
                self._read(Path(file).name)  # the file may have changed since it was last read
        if not versions:
            return f"{file} is not a corpus file"
        return f"{file}[{start}:{end}] is {versions[-1][start:end][:80]!r}, the quote is {quote[:80]!r}"

    def versions(self) -> dict[str, int]:
        with self._lock:
            return {name: len(v) for name, v in self._versions.items()}


# --- running sessions -----------------------------------------------------------------------------


@dataclass
class Record:
    session: int
    turn: int
    question: str
    latency_s: float = 0.0
    finished_at: float = 0.0  # seconds since the asking phase began
    error: str | None = None
    citations: int = 0
    ungrounded: list[str] = field(default_factory=list)
    abstained: bool = False
    answerable: bool = True
    engine_ms: float | None = None


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def make_client(url: str, auth: tuple[str, str] | None = None):
    from gradio_client import Client

    return Client(url, auth=auth, verbose=False, download_files=False, max_workers=2, analytics_enabled=False)


def _session(index: int, url: str, script: list[Question], grounding: Grounding, auth, deadline: float,
             ready: threading.Barrier, clock: dict, out: list[Record], lock: threading.Lock) -> None:
    records = [Record(index, turn, q.text, answerable=q.answerable) for turn, q in enumerate(script)]
    client = None
    try:
        try:
            client = make_client(url, auth)
        except Exception as exc:
            for r in records:
                r.error = f"could not connect ({exc.__class__.__name__}: {exc})"
            return
        finally:
            try:
                ready.wait(timeout=max(0.1, deadline - time.monotonic()))
            except threading.BrokenBarrierError:
                pass
        conversation = None
        for r in records:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                r.error = "not asked: the global deadline passed"
                continue
            started = time.perf_counter()
            job = None
            try:
                job = client.submit(r.question, conversation, api_name="/ask")
                result = job.result(timeout=remaining)
            except Exception as exc:  # a server error, a refused request, the deadline: all errors
                r.latency_s = time.perf_counter() - started
                r.finished_at = time.perf_counter() - clock["t0"]
                r.error = f"{exc.__class__.__name__}: {exc}"[:300] or exc.__class__.__name__
                if job is not None:
                    try:
                        job.cancel()
                    except Exception:
                        pass
                continue
            r.latency_s = time.perf_counter() - started
            r.finished_at = time.perf_counter() - clock["t0"]
            answer = (result or {}).get("answer") if isinstance(result, dict) else None
            if not answer:
                r.error = f"no answer in the response: {str(result)[:200]}"
                continue
            conversation = result.get("conversation_id") or conversation
            r.abstained = bool(answer.get("abstained"))
            r.engine_ms = answer.get("latency_ms")
            citations = answer.get("citations") or []
            r.citations = len(citations)
            for c in citations:
                why = grounding.check(c)
                if why:
                    r.ungrounded.append(why)
    finally:
        if client is not None:
            try:
                client.close()
            except Exception:
                pass
        with lock:
            out.extend(records)


def run_load(url: str, sessions: int = 20, questions_per_session: int = 5, reingest: Callable[[], Any] | None = None,
             timeout_s: float = 240.0, corpus_dir: Path | str = CORPUS, reingest_delay_s: float = 1.0,
             auth: tuple[str, str] | None = None, label: str | None = None) -> dict:
    """Run `sessions` concurrent chat sessions of `questions_per_session` questions against the app at
    `url`; with `reingest` (a callable that changes a document and re-ingests, blocking until done),
    run it in a thread `reingest_delay_s` after the questions start. Returns the measured summary."""
    deadline = time.monotonic() + timeout_s
    grounding = Grounding(Path(corpus_dir))
    records: list[Record] = []
    lock = threading.Lock()
    clock: dict[str, float] = {"t0": time.perf_counter()}
    connected = time.perf_counter()

    def go() -> None:
        clock["t0"] = time.perf_counter()

    ready = threading.Barrier(sessions, action=go, timeout=None)
    threads = [threading.Thread(target=_session, name=f"load-session-{i}", daemon=True,
                                args=(i, url, session_questions(i, questions_per_session), grounding, auth, deadline,
                                      ready, clock, records, lock))
               for i in range(sessions)]
    for t in threads:
        t.start()

    ingest_info: dict[str, Any] | None = None
    ingest_thread = None
    if reingest is not None:
        ingest_info = {"started_at": None, "finished_at": None, "error": None, "result": None}

        def run_reingest() -> None:
            # wait for the sessions to be connected and asking, then a little more
            while clock["t0"] < connected and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(max(0.0, min(reingest_delay_s, deadline - time.monotonic())))
            ingest_info["started_at"] = time.perf_counter() - clock["t0"]
            try:
                ingest_info["result"] = reingest()
            except Exception as exc:
                ingest_info["error"] = f"{exc.__class__.__name__}: {exc}"[:300]
            ingest_info["finished_at"] = time.perf_counter() - clock["t0"]

        ingest_thread = threading.Thread(target=run_reingest, name="load-reingest", daemon=True)
        ingest_thread.start()

    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + 5)
    wall = time.perf_counter() - clock["t0"]
    if ingest_thread is not None:
        ingest_thread.join(timeout=max(0.0, deadline - time.monotonic()) + 5)
        if ingest_thread.is_alive():
            ingest_info["error"] = "re-ingest still running at the global deadline"

    with lock:
        done = list(records)
    missing = sessions * questions_per_session - len(done)
    return summarize(done, missing, wall, ingest_info, label or ("with re-ingest" if reingest else "no re-ingest"),
                     sessions, questions_per_session, timeout_s, grounding)


def summarize(records: list[Record], missing: int, wall: float, ingest_info: dict | None, label: str,
              sessions: int, questions_per_session: int, timeout_s: float, grounding: Grounding) -> dict:
    ok = [r for r in records if r.error is None]
    errors = [r for r in records if r.error is not None]
    citations = sum(r.citations for r in ok)
    ungrounded = sum(len(r.ungrounded) for r in ok)
    latencies = [r.latency_s for r in ok]
    engine = [r.engine_ms for r in ok if r.engine_ms is not None]
    asked_wall = max((r.finished_at for r in ok), default=wall) or wall

    def ms(v: float | None) -> float | None:
        return None if v is None else round(v * 1000, 1)

    out = {
        "label": label,
        "sessions": sessions,
        "questions_per_session": questions_per_session,
        "expected": sessions * questions_per_session,
        "answers": len(ok),
        "errors": len(errors) + missing,
        "citations": citations,
        "grounded_citations": citations - ungrounded,
        "grounded_share": round((citations - ungrounded) / citations, 4) if citations else None,
        "answers_with_citations": sum(1 for r in ok if r.citations),
        "abstained": sum(1 for r in ok if r.abstained),
        "unanswerable_abstained": f"{sum(1 for r in ok if not r.answerable and r.abstained)}"
                                  f"/{sum(1 for r in ok if not r.answerable)}",
        "wall_s": round(asked_wall, 2),
        "throughput_per_s": round(len(ok) / asked_wall, 2) if asked_wall > 0 and ok else 0.0,
        "latency_p50_ms": ms(percentile(latencies, 50)),
        "latency_p95_ms": ms(percentile(latencies, 95)),
        "latency_max_ms": ms(max(latencies, default=None)),
        "latency_mean_ms": ms(statistics.fmean(latencies)) if latencies else None,
        "engine_p50_ms": percentile(engine, 50),
        "timeout_s": timeout_s,
        "error_samples": [{"session": r.session, "turn": r.turn, "question": r.question, "error": r.error}
                          for r in errors[:5]]
                         + ([{"error": f"{missing} questions never reported"}] if missing else []),
        "ungrounded_samples": [{"session": r.session, "turn": r.turn, "question": r.question, "why": w}
                               for r in ok for w in r.ungrounded][:5],
    }
    if ingest_info is not None:
        start, end = ingest_info["started_at"], ingest_info["finished_at"]
        out["reingest"] = {
            "started_at_s": None if start is None else round(start, 2),
            "seconds": None if start is None or end is None else round(end - start, 2),
            "error": ingest_info["error"],
            "answers_during": sum(1 for r in ok if start is not None and start <= r.finished_at <= (end or wall)),
            "answers_after": sum(1 for r in ok if end is not None and r.finished_at > end),
            "file_versions_seen": {k: v for k, v in grounding.versions().items() if v > 1},
        }
    return out


# --- re-ingest of a changed document through the app ------------------------------------------------

REVISION_NOTE = ("Revision note: this copy was edited by the Footnotes load test to exercise a re-ingest "
                 "while questions are being answered.")


def edit_document(corpus_dir: Path, name: str = CHANGED_DOCUMENT, note: str = REVISION_NOTE) -> str:
    """Insert a paragraph after the first line of `name` (every later offset moves), written to a
    temporary file and renamed so a reader never sees half a file. Returns the original text."""
    path = Path(corpus_dir) / name
    original = path.read_bytes()
    text = original.decode("utf-8")
    head, sep, rest = text.partition("\n")
    _replace(path, f"{head}{sep}\n{note}\n{sep}{rest}".encode("utf-8"))
    return text


def restore_document(corpus_dir: Path, name: str, text: str) -> None:
    _replace(Path(corpus_dir) / name, text.encode("utf-8"))


def _replace(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=".load-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def app_reingest(url: str, auth: tuple[str, str] | None = None, timeout_s: float = 180.0) -> str:
    """Press the Library's "Re-ingest now" through the app's `/reingest` endpoint; returns the report HTML."""
    client = make_client(url, auth)
    try:
        report_html, _, _ = client.submit(api_name="/reingest").result(timeout=timeout_s)
        return report_html
    finally:
        client.close()


def reingest_changed(url: str, corpus_dir: Path, name: str = CHANGED_DOCUMENT,
                     auth: tuple[str, str] | None = None) -> tuple[Callable[[], str], Callable[[], None]]:
    """(reingest, undo): `reingest` edits `name` in the corpus folder the app serves and re-ingests
    through the app; `undo` puts the original text back and re-ingests again."""
    saved: dict[str, str] = {}

    def reingest() -> str:
        saved["text"] = edit_document(corpus_dir, name)
        return app_reingest(url, auth)

    def undo() -> None:
        if "text" in saved:
            restore_document(corpus_dir, name, saved.pop("text"))
            app_reingest(url, auth)

    return reingest, undo


# --- an app of our own, as tests/e2e do it -----------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def hosted_app(root: Path, source: Path = CORPUS, warm: bool = True) -> Iterator[Any]:
    """A copy of `source` under `root`, ingested with the real pipeline and embedding model, served
    by the real app on a free loopback port (generator "extractive"); yields (url, settings, demo)."""
    from ingest.pipeline import ingest
    from ingest.settings import Settings
    from ui.app import start

    shutil.copytree(source, root / "corpus")
    settings = Settings(corpus_dir=root / "corpus", data_dir=root / "data", generator="extractive",
                        host="127.0.0.1", port=free_port())
    report = ingest(settings)
    if report.failed or not report.added:
        raise RuntimeError(f"ingest of the corpus copy failed: {report.to_dict()}")
    demo, url = start(settings, warm=False)
    try:
        if warm:  # one-time costs (index load, sentence vectors) paid before measuring
            demo.footnotes.assistant.warm()
        yield url.rstrip("/") + "/", settings, demo
    finally:
        settle(120.0)
        demo.close()


def settle(timeout_s: float) -> None:
    """Let the app's background work (a re-ingest, the warm-up after it) finish, up to `timeout_s`:
    a process that exits while a daemon thread is inside the embedding model aborts."""
    end = time.monotonic() + timeout_s
    for t in threading.enumerate():
        if t.name.startswith(("footnotes-warm", "footnotes-ingest")) and t is not threading.current_thread():
            t.join(timeout=max(0.0, end - time.monotonic()))


# --- report -------------------------------------------------------------------------------------------

COLUMNS = [("run", "label"), ("answers", "answers"), ("errors", "errors"), ("grounded", "grounded"),
           ("throughput (answers/s)", "throughput_per_s"), ("p50 (ms)", "latency_p50_ms"),
           ("p95 (ms)", "latency_p95_ms"), ("max (ms)", "latency_max_ms")]


def table(results: list[dict]) -> str:
    """A Markdown table of the runs."""
    lines = ["| " + " | ".join(c for c, _ in COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    for r in results:
        share = r.get("grounded_share")
        cells = {**r, "grounded": f"{r['grounded_citations']}/{r['citations']}"
                 + (f" ({share:.0%})" if share is not None else ""),
                 "answers": f"{r['answers']}/{r['expected']}"}
        lines.append("| " + " | ".join(str(cells.get(k)) for _, k in COLUMNS) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.load", description=(
        "Load test of the Footnotes web app: concurrent chat sessions (each its own gradio_client "
        "session and conversation) through the app's /ask endpoint, every citation checked against the "
        "corpus files; optionally a re-ingest of a changed document at the same time."))
    target = p.add_mutually_exclusive_group()
    target.add_argument("--url", help="a running `footnotes serve`, e.g. http://127.0.0.1:7860/")
    target.add_argument("--self-host", action="store_true",
                        help="start the app on a temporary copy of --corpus (real ingest, extractive answers)")
    p.add_argument("--corpus", default=str(CORPUS),
                   help="the corpus folder the app serves (citations are checked against it; default corpus/)")
    p.add_argument("--sessions", type=int, default=20, help="concurrent chat sessions (default 20)")
    p.add_argument("--questions", type=int, default=5, help="questions per session (default 5)")
    p.add_argument("--timeout", type=float, default=240.0, help="global deadline per run, seconds (default 240)")
    p.add_argument("--reingest", choices=["no", "yes", "both"], default="both",
                   help="run without a re-ingest, with one, or both (default both). With a re-ingest, "
                        "--change is edited in the corpus folder and re-ingested through the app's /reingest; "
                        "with --url the original is put back and re-ingested afterwards")
    p.add_argument("--change", default=CHANGED_DOCUMENT, help=f"the document to change (default {CHANGED_DOCUMENT})")
    p.add_argument("--auth", help="user:password, if the app requires a login")
    p.add_argument("--json", help="also write the results to this JSON file")
    args = p.parse_args(argv)
    if not args.url and not args.self_host:
        p.error("give --url of a running app, or --self-host")
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    modes = {"no": [False], "yes": [True], "both": [False, True]}[args.reingest]

    def runs(url: str, corpus: Path) -> list[dict]:
        results = []
        for with_reingest in modes:
            reingest, undo = reingest_changed(url, corpus, args.change, auth) if with_reingest else (None, None)
            try:
                result = run_load(url, args.sessions, args.questions, reingest, args.timeout, corpus, auth=auth)
            finally:
                if undo is not None and args.url:
                    undo()
            results.append(result)
            print(json.dumps({k: v for k, v in result.items() if k not in ("error_samples", "ungrounded_samples")}
                             | {"error_samples": result["error_samples"][:2]}), file=sys.stderr)
        return results

    if args.self_host:
        with tempfile.TemporaryDirectory(prefix="footnotes-load-") as tmp, \
                hosted_app(Path(tmp), Path(args.corpus)) as (url, settings, _):
            results = runs(url, settings.corpus_dir)
    else:
        results = runs(args.url, Path(args.corpus))
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    bad = any(r["errors"] or (r["grounded_share"] is not None and r["grounded_share"] < 1)
              or (r.get("reingest") or {}).get("error") for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

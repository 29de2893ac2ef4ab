"""Load: 20 concurrent chat sessions × 5 questions against the served app (real ingest, real
embedding model, extractive answers, on loopback), without and with a re-ingest of a changed
document running at the same time — 0 errors, every citation grounded in the corpus text.
The measured table goes to tests/artifacts/load.json (docs/load-results.md reports it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import load
from ingest.settings import Settings

ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "load.json"
SESSIONS, QUESTIONS, DEADLINE_S = 20, 5, 150.0
RESULTS: dict[str, dict] = {}


def _record(name: str, result: dict) -> None:
    RESULTS[name] = result
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps({"sessions": SESSIONS, "questions_per_session": QUESTIONS,
                                    "table": load.table(list(RESULTS.values())), "runs": RESULTS}, indent=1))


def _assert_clean(result: dict) -> None:
    assert result["errors"] == 0, result["error_samples"]
    assert result["answers"] == SESSIONS * QUESTIONS
    assert result["citations"] > 0 and result["grounded_share"] == 1.0, result["ungrounded_samples"]
    assert result["latency_p50_ms"] is not None and result["throughput_per_s"] > 0


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with load.hosted_app(tmp_path_factory.mktemp("load")) as (url, settings, demo):
        yield url, settings, demo


# --- the checker itself (fast) -------------------------------------------------------------------


def test_grounding_check_accepts_exact_spans_only(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Title\n\nJapan gave Vietnam six used vessels.\n", encoding="utf-8")
    g = load.Grounding(corpus)
    text = (corpus / "a.txt").read_text(encoding="utf-8")
    start = text.index("Japan")
    good = {"file": "a.txt", "start": start, "end": start + 5, "quote": "Japan"}
    assert g.check(good) is None
    assert g.check({**good, "start": start + 1, "end": start + 6}) is not None  # off by one
    assert g.check({**good, "quote": "Japa"}) is not None
    assert g.check({**good, "file": "missing.txt"}) is not None
    assert g.check({**good, "quote": ""}) is not None
    load.edit_document(corpus, "a.txt", note="Inserted paragraph.")  # offsets move: both versions count
    moved = (corpus / "a.txt").read_text(encoding="utf-8").index("Japan")
    assert moved != start
    assert g.check({**good, "start": moved, "end": moved + 5}) is None
    assert g.check(good) is None
    assert g.versions()["a.txt"] == 2


def test_session_scripts_are_deterministic_and_varied():
    scripts = [load.session_questions(i, QUESTIONS) for i in range(SESSIONS)]
    assert scripts == [load.session_questions(i, QUESTIONS) for i in range(SESSIONS)]
    assert all(not s[0].follow_up for s in scripts)
    asked = {q.text for s in scripts for q in s}
    assert asked == {q.text for q in load.QUESTIONS}  # every question, follow-ups and the unanswerable one
    assert 12 <= len(load.QUESTIONS) <= 20
    assert any(not q.answerable for q in load.QUESTIONS) and any(q.follow_up for q in load.QUESTIONS)


# --- against the served app ------------------------------------------------------------------------


@pytest.mark.integration
def test_load_without_reingest(served):
    url, settings, _ = served
    result = load.run_load(url, SESSIONS, QUESTIONS, timeout_s=DEADLINE_S, corpus_dir=settings.corpus_dir)
    _record("no_reingest", result)
    _assert_clean(result)


@pytest.mark.integration
def test_load_with_concurrent_reingest(served):
    from ingest.manifest import Manifest
    from ingest.pipeline import file_hash

    url, settings, _ = served
    changed = settings.corpus_dir / load.CHANGED_DOCUMENT
    before = Manifest.load(settings).documents[load.CHANGED_DOCUMENT]["sha256"]
    reingest, _ = load.reingest_changed(url, settings.corpus_dir)
    result = load.run_load(url, SESSIONS, QUESTIONS, reingest=reingest, timeout_s=DEADLINE_S,
                           corpus_dir=settings.corpus_dir, reingest_delay_s=0.5)
    _record("with_reingest", result)
    _assert_clean(result)
    info = result["reingest"]
    assert info["error"] is None and info["seconds"] is not None
    assert info["answers_during"] > 0, "no answer completed while the re-ingest ran"
    after = Manifest.load(settings).documents[load.CHANGED_DOCUMENT]["sha256"]
    assert after != before and after == file_hash(changed)  # the changed document really was re-ingested
    load.settle(120.0)  # the app's warm-up after the re-ingest, before the app closes


@pytest.mark.integration
def test_ask_endpoint_returns_the_stored_turn_per_login(tmp_path):
    """The `/ask` endpoint the load test drives: the page's turn as data, follow-ups continue the
    conversation, each login only reaches its own conversations, a bad question is a readable error."""
    from gradio_client import Client

    from tests.test_ui_handlers import DOC, QUOTE, FakeAssistant
    from ui.app import start

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(DOC, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", port=load.free_port(),
                        auth="alice:pw1,bob:pw2")
    demo, url = start(settings, FakeAssistant({"a.md": DOC}), warm=False)
    try:
        def client(user, password):
            return Client(url, auth=(user, password), verbose=False, download_files=False, analytics_enabled=False)

        alice, bob = client("alice", "pw1"), client("bob", "pw2")
        first = alice.predict("Which book is the Morgenthau quote from?", None, api_name="/ask")
        cid = first["conversation_id"]
        c = first["answer"]["citations"][0]
        assert DOC[c["start"]:c["end"]] == c["quote"] == QUOTE
        again = alice.predict("and which page?", cid, api_name="/ask")
        assert again["conversation_id"] == cid
        assert len(demo.footnotes.store.turns(cid, "alice")) == 2
        other = bob.predict("and which page?", cid, api_name="/ask")  # not bob's: a new conversation
        assert other["conversation_id"] != cid and len(demo.footnotes.store.turns(cid, "alice")) == 2
        with pytest.raises(Exception, match="Type a question first"):
            alice.predict("   ", None, api_name="/ask")
        alice.close()
        bob.close()
    finally:
        demo.close()


@pytest.mark.integration
def test_run_stops_by_itself_at_the_deadline(tmp_path):
    """A slow app: the run returns soon after its deadline, counting what was not answered as errors."""
    import time

    from tests.test_ui_handlers import DOC, FakeAssistant
    from ui.app import start

    class Slow(FakeAssistant):
        def stream(self, question, history=(), generator=None, k=None):
            time.sleep(1.5)
            yield from super().stream(question, history, generator, k)

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(DOC, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", port=load.free_port())
    demo, url = start(settings, Slow({"a.md": DOC}), warm=False)
    try:
        started = time.monotonic()
        result = load.run_load(url, sessions=4, questions_per_session=4, timeout_s=4.0, corpus_dir=corpus)
        assert time.monotonic() - started < 15
        assert result["errors"] > 0 and result["answers"] + result["errors"] == 16
        assert result["grounded_share"] in (None, 1.0)
    finally:
        demo.close()

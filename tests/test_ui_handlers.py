"""The web app's logic as plain functions: rendering (escaping!), the conversation store, the
library's upload/remove rules and the page handlers — against a small fake assistant.

The browser tests in tests/e2e/ run the same code against the real engine and a real Chromium.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.types import Answer, Citation, SourceNote
from ingest.settings import Settings
from ui import render
from ui.conversations import ConversationStore, StoreError, answer_from_dict
from ui.library import IngestRunner, LibraryError, library_rows, remove_document, safe_filename, save_uploads

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
DOC = ("# Defense diplomacy\n\nIntro paragraph.\n\n"
       "As Hans J. Morgenthau stated, the primary objective of diplomacy is “the promotion of the national "
       "interest by peaceful means.”³² In this sense, defense cooperation is diplomacy.\n\n"
       "- ³² Hans J. Morgenthau, *Politics among Nations*, 6th ed. (1985), 563.\n")
QUOTE = ("As Hans J. Morgenthau stated, the primary objective of diplomacy is “the promotion of the national "
         "interest by peaceful means.”³²")


# --- a fake assistant: the engine's API, answers made from one document ---------------------------


@dataclass
class Event:
    kind: str
    answer: Answer | None = None
    delta: str = ""


class FakeAssistant:
    def __init__(self, docs: dict[str, str]):
        self.docs = docs
        self.current: set[str] = set()
        self.asked: list[tuple[str, list[Answer], str | None, int | None]] = []
        self.reloads = 0

    def _citation(self, file: str, quote: str, marker: int = 1) -> Citation:
        text = self.docs[file]
        start = text.index(quote)
        pid = f"{file}:{start}:{hash(quote) & 0xffff}"
        self.current.add(pid)
        return Citation(marker, file, "Defense Diplomacy <i>", "Conclusion", 3, start, start + len(quote), quote,
                        [SourceNote(32, "Hans J. Morgenthau, Politics among Nations, 563.",
                                    ["https://example.org/pan", "javascript:alert(1)"])], "2024", pid)

    def stream(self, question, history=(), generator=None, k=None):
        self.asked.append((question, list(history), generator, k))
        if "nothing" in question:
            yield Event("evidence", Answer(question, ""))
            yield Event("final", Answer(question, "", abstained=True))
            return
        if "boom" in question:
            yield Event("evidence", Answer(question, ""))
            raise RuntimeError("engine exploded")
        file = next(iter(self.docs))
        c = self._citation(file, QUOTE)
        yield Event("evidence", Answer(question, "", [c]))
        text = "Morgenthau wrote it in Politics among Nations. [1]"
        for word in text.split(" "):
            yield Event("text", delta=word + " ")
        yield Event("final", Answer(question, text, [c], generator=generator or "extractive", latency_ms=12))

    def ask(self, question, history=(), generator=None, k=None):
        return [e for e in self.stream(question, history, generator, k) if e.kind == "final"][0].answer

    def available_generators(self):
        return ["extractive", "local"]

    def document_text(self, file):
        if file not in self.docs:
            raise FileNotFoundError(file)
        return self.docs[file]

    def passage_is_current(self, passage_id):
        return passage_id in self.current

    def reload(self):
        self.reloads += 1


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(DOC, encoding="utf-8")
    return Settings(corpus_dir=corpus, data_dir=tmp_path / "data", upload_max_mb=0.01)


@pytest.fixture
def web(settings):
    from ui.app import WebApp

    return WebApp(settings, FakeAssistant({"a.md": DOC}))


def run_ask(web, question, cid=None, **kw):
    frames = list(web.ask(question, cid, **kw))
    return frames, frames[-1][1], frames[-1][2]


# --- render: escaping ------------------------------------------------------------------------------


def _no_live_markup(html: str) -> None:
    """Parse like a browser would: no script/img/iframe element, no on* attribute, no js: link."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "img", "iframe", "object", "embed", "style", "foreignobject"):
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or (name in ("href", "src") and "javascript:" in (value or "").lower()):
                    found.append(f"{tag}[{name}]")

    Parser().feed(html)
    assert not found, f"live markup leaked: {found}"


def test_answer_text_escapes_and_links_only_known_markers():
    c = Citation(1, "a.md", XSS, XSS, 2, 0, 5, XSS)
    html = render.answer_text_html(f"{XSS} claim [1]. other [7].", [c], turn=0)
    _no_live_markup(html)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert html.count('class="fn-marker"') == 1 and 'data-cite="1"' in html
    assert "[7]" in html  # a marker naming no citation stays text


def test_adjacent_and_grouped_markers():
    cs = [Citation(n, "a.md", "T", "", None, 0, 1, "x") for n in (1, 2)]
    html = render.answer_text_html("One [1][2]. Two [1, 2].", cs, turn=3)
    assert html.count("fn-marker") == 4 and 'data-turn="3"' in html


def test_conversation_html_escapes_question_and_everything_else():
    c = Citation(1, XSS, XSS, XSS, None, 0, 5, XSS, [SourceNote(1, XSS, [XSS])], XSS, "p")
    a = Answer(XSS, f"{XSS} [1]", [c], notice=XSS, generator=XSS)
    html = render.conversation_html([render.TurnView(0, XSS, a, stale={1}, feedback=1)])
    _no_live_markup(html)
    assert "changed since" in html and 'aria-pressed="true"' in html


def test_abstained_answer_says_not_in_corpus_and_cites_nothing():
    html = render.turn_html(render.TurnView(0, "q", Answer("q", "", abstained=True)))
    assert "Not in the corpus" in html and "fn-marker" not in html


def test_citation_panel_highlights_span_in_its_paragraph():
    start = DOC.index(QUOTE)
    c = Citation(1, "a.md", "Title", "Conclusion", 3, start, start + len(QUOTE), QUOTE,
                 [SourceNote(32, "Politics among Nations", ["https://example.org/x", "javascript:alert(1)"]),
                  SourceNote(33, "", missing=True), SourceNote(34, "Ibid.", resolved_from=32, resolved_text="P.a.N.")])
    html = render.citation_panel_html(c, 0, DOC)
    assert '<mark class="fn-hit">' + render.esc(QUOTE) + "</mark>" in html
    assert "In this sense" in html and "Intro paragraph" not in html  # the paragraph, not the document
    assert re.findall(r'href="([^"]*)"', html) == ["https://example.org/x"]  # javascript: stays out
    assert "missing from the source" in html and "repeats note 32" in html
    assert "fn-open-doc" in html


def test_citation_panel_for_changed_passage_shows_old_quote_and_warning():
    start = DOC.index(QUOTE)
    c = Citation(1, "a.md", "T", "", None, start, start + len(QUOTE), QUOTE)
    changed = DOC.replace("Morgenthau", "Kissinger")
    html = render.citation_panel_html(c, 0, changed, current=True)  # the text at the offsets differs
    assert "changed since" in html and "re-ask" in html and "Morgenthau" in html and "fn-open-doc" not in html
    html = render.citation_panel_html(c, 0, DOC, current=False)
    assert "changed since" in html
    html = render.citation_panel_html(c, 0, None)
    assert "no longer in the corpus" in html


def test_context_window_is_bounded_and_word_aligned():
    text = "x " * 1000 + "TARGET" + " y" * 1000
    before, span, after, cut_b, cut_a = render.context_window(text, 2000, 2006, chars=100)
    assert span == "TARGET" and cut_b and cut_a and len(before) <= 100 and len(after) <= 100
    assert not before.startswith(" ") and before.strip(" x") == ""


def test_document_html_highlights_and_escapes():
    text = f"{XSS}\n\nbefore SPAN after\fpage two"
    start = text.index("SPAN")
    html = render.document_html(Citation(1, "x.md", "T", "", None, start, start + 4, "SPAN"), text)
    _no_live_markup(html)
    assert '<mark class="fn-hit" id="fn-doc-hit">SPAN</mark>' in html and "fn-page-break" in html


def test_library_and_report_html_escape():
    html = render.library_html([{"file": "x.md", "title": XSS, "state": "indexed", "status": "indexed",
                                 "passages": 3, "footnotes": 1, "missing_notes": [2],
                                 "ingested_at": "2025-01-01T00:00:00+00:00"}])
    _no_live_markup(html)
    html = render.report_html({"added": [XSS], "updated": [], "removed": [], "unchanged": ["a"],
                               "failed": [{"file": XSS, "reason": XSS}], "embedded": 4, "seconds": 1.5})
    _no_live_markup(html)
    assert "1</strong> added" in html and "failed" in html


def test_export_markdown_has_footnote_references():
    start = DOC.index(QUOTE)
    c = Citation(1, "a.md", "Defense Diplomacy", "Conclusion", 3, start, start + len(QUOTE), QUOTE,
                 [SourceNote(32, "Politics among <Nations>", ["https://example.org/p"])], "2024")
    turns = [render.TurnView(0, "Which book?", Answer("Which book?", "It is Politics among Nations. [1]", [c])),
             render.TurnView(1, "And <b>?", Answer("And?", "", abstained=True))]
    md = render.export_markdown("Which book?", turns)
    assert "It is Politics among Nations.[^1-1]" in md
    assert "[^1-1]: **Defense Diplomacy**, section “Conclusion”, p. 3, 2024 — `a.md`" in md
    assert "    > As Hans J. Morgenthau" in md
    assert "Source note 32: Politics among &lt;Nations&gt; <https://example.org/p>" in md
    assert "## 2. And &lt;b&gt;?" in md and "Not in the corpus" in md


# --- conversations ---------------------------------------------------------------------------------


def test_store_round_trip_survives_reopen(tmp_path):
    path = tmp_path / "c.sqlite3"
    store = ConversationStore(path)
    cid = store.create("", "First question")
    notes = [SourceNote(3, "n", ["https://x"], resolved_from=1, resolved_text="r")]
    c = Citation(1, "a.md", "T", "S", 2, 0, 4, "quot", notes)
    a = Answer("First question", "Text [1]", [c], retrieved=[{"file": "a.md"}], latency_ms=5.0)
    assert store.add_turn(cid, a) == 0
    assert store.add_turn(cid, Answer("Second", "No", abstained=True)) == 1
    store.set_feedback(cid, 0, -1, "wrong book")
    reopened = ConversationStore(path)
    [summary] = reopened.list("")
    assert summary.id == cid and summary.title == "First question" and summary.turns == 2
    turns = reopened.turns(cid)
    assert turns[0].answer == a and turns[1].answer.abstained
    assert (turns[0].feedback, turns[0].comment) == (-1, "wrong book")


def test_store_separates_owners_and_refuses_unknown(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    cid = store.create("alice", "q")
    assert store.list("bob") == [] and not store.exists(cid, "bob")
    with pytest.raises(StoreError):
        store.turns(cid, "bob")
    with pytest.raises(StoreError):
        store.add_turn(cid, Answer("q", "a"), owner="bob")
    with pytest.raises(StoreError):
        store.set_feedback(cid, 5, 1, owner="alice")


def test_answer_from_dict_ignores_unknown_fields():
    d = Answer("q", "t", [Citation(1, "f", "T", "", None, 0, 1, "x")]).to_dict()
    d["future_field"] = 1
    d["citations"][0]["another"] = 2
    assert answer_from_dict(d).citations[0].file == "f"


def test_store_is_safe_from_threads(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    cid = store.create("", "q")
    threads = [threading.Thread(target=lambda: [store.add_turn(cid, Answer("q", "a")) for _ in range(10)])
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [t.index for t in store.turns(cid)] == list(range(40))


# --- library ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("../../x.md", "x.md"), ("..\\..\\evil.TXT", "evil.txt"), ("/etc/passwd.md", "passwd.md"),
    (".hidden.md", "hidden.md"), ("a b (2).pdf", "a b (2).pdf"), ("rép<>ort?.html", "rép-ort.html"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["x.exe", "noext", "..", "../.md", "catalog.toml", ""])
def test_safe_filename_refuses(name):
    with pytest.raises(LibraryError):
        safe_filename(name)


def test_upload_never_writes_outside_corpus(settings, tmp_path):
    src = tmp_path / "up.md"
    src.write_text("# New\n\nA sentence here.\n", encoding="utf-8")
    saved = save_uploads(settings, [src], names=["../../escape.md"])
    assert [s.name for s in saved] == ["escape.md"] and not saved[0].replaced
    assert (settings.corpus_dir / "escape.md").exists() and not (tmp_path / "escape.md").exists()
    assert not list(settings.corpus_dir.glob(".upload-*"))
    again = save_uploads(settings, [src], names=["escape.md"])
    assert again[0].replaced


def test_upload_checks_type_size_and_content(settings, tmp_path):
    big = tmp_path / "big.md"
    big.write_text("word " * 5000, encoding="utf-8")  # over the 0.01 MB test limit
    with pytest.raises(LibraryError, match="upload limit"):
        save_uploads(settings, [big])
    bad = tmp_path / "x.exe"
    bad.write_bytes(b"MZ")
    with pytest.raises(LibraryError, match="unsupported"):
        save_uploads(settings, [bad])
    empty = tmp_path / "empty.md"
    empty.write_text("  ", encoding="utf-8")
    with pytest.raises(LibraryError, match="empty"):
        save_uploads(settings, [empty])
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == ["a.md"]  # nothing half-written


def test_remove_document_only_inside_corpus(settings, tmp_path):
    (tmp_path / "outside.md").write_text("x", encoding="utf-8")
    with pytest.raises(LibraryError):
        remove_document(settings, "../outside.md")
    with pytest.raises(LibraryError):
        remove_document(settings, "missing.md")
    assert remove_document(settings, "a.md") == "a.md"
    assert not (settings.corpus_dir / "a.md").exists() and (tmp_path / "outside.md").exists()


def test_library_rows_status_without_ingest(settings):
    rows = library_rows(settings)
    assert rows[0]["file"] == "a.md" and rows[0]["state"] == "new"


def test_ingest_runner_reports_and_joins(settings, monkeypatch):
    import ui.library as library
    from ingest.pipeline import IngestReport

    calls = []

    def fake_ingest(s, progress=None, **kw):
        calls.append(1)
        for i in range(3):
            progress(i / 3, f"file {i}")
            time.sleep(0.05)
        return IngestReport(updated=["a.md"])

    monkeypatch.setattr(library, "ingest", fake_ingest)
    done = []
    runner = IngestRunner(settings, on_done=done.append)
    job = runner.start()
    assert runner.start() is job  # a second request joins the running one
    ticks = []
    runner.wait(job, lambda f, m: ticks.append(m), every=0.02)
    assert job.report.updated == ["a.md"] and done and len(calls) == 1 and ticks


# --- the page handlers -----------------------------------------------------------------------------


def test_ask_streams_evidence_then_text_and_stores_turn(web):
    frames, cid, final = run_ask(web, "Which book is the Morgenthau quote from?", generator="extractive", k=3)
    htmls = [f[0] for f in frames]
    assert "Searching the documents" in htmls[0]
    assert "fn-cite-row" in htmls[1] and "Morgenthau wrote" not in htmls[1]  # evidence first
    assert "fn-marker" in htmls[-1] and final.citations
    assert web.assistant.asked[0][2:] == ("extractive", 3)
    [turn] = web.store.turns(cid)
    assert turn.answer == final


def test_follow_up_passes_history(web):
    _, cid, first = run_ask(web, "Which book?")
    run_ask(web, "And who wrote it?", cid)
    assert web.assistant.asked[1][1] == [first]
    assert len(web.store.turns(cid)) == 2


def test_ask_refuses_empty_question(web):
    from ui.app import UserError

    with pytest.raises(UserError):
        list(web.ask("   ", None))


def test_ask_failure_leaves_no_pending_turn(web):
    gen = web.ask("boom", None)
    html, cid, _ = next(gen)
    with pytest.raises(RuntimeError):
        list(gen)
    assert "Searching" not in web.chat_html(cid) and cid not in web._pending


def test_abstention_is_stored_and_rendered(web):
    _, cid, final = run_ask(web, "nothing about this")
    assert final.abstained and "Not in the corpus" in web.chat_html(cid)


def test_citation_panel_and_document_view(web):
    _, cid, _ = run_ask(web, "Which book?")
    panel = web.citation_panel(cid, "", 0, 1)
    assert "<mark" in panel and "Politics among Nations" in panel
    assert 'href="https://example.org/pan"' in panel and 'href="javascript' not in panel
    doc = web.document_view(cid, "", 0, 1)
    assert 'id="fn-doc-hit"' in doc and "Intro paragraph" in doc
    assert "no source [9]" in web.citation_panel(cid, "", 0, 9)
    assert "no longer on this page" in web.citation_panel(cid, "", 5, 1)


def test_changed_passage_is_flagged_not_misquoted(web):
    _, cid, _ = run_ask(web, "Which book?")
    web.assistant.current.clear()  # a re-ingest replaced the passage
    web.assistant.docs["a.md"] = "# Rewritten\n\nEntirely different text now, much longer than before " * 5
    assert "changed since" in web.chat_html(cid)
    panel = web.citation_panel(cid, "", 0, 1)
    assert "re-ask" in panel and "Morgenthau" in panel and "Entirely different" not in panel
    from ui.app import UserError

    with pytest.raises(UserError):
        web.document_view(cid, "", 0, 1)


def test_feedback_toggles_and_comment_is_stored(web):
    _, cid, _ = run_ask(web, "Which book?")
    assert web.feedback(cid, "", 0, "up") == 1
    web.comment(cid, "", 0, "exactly right")
    assert web.store.feedback(cid, 0) == (1, "exactly right")
    assert web.feedback(cid, "", 0, "up") is None  # the same thumb again clears it
    assert web.feedback(cid, "", 0, "down") == -1
    assert 'aria-pressed="true"' in web.chat_html(cid)


def test_export_writes_markdown(web):
    _, cid, _ = run_ask(web, "Which book?")
    path = web.export(cid)
    md = path.read_text(encoding="utf-8")
    assert path.suffix == ".md" and "[^1-1]" in md and "Source note 32" in md
    assert web.export(None) is None


def test_conversations_are_listed_per_owner(web):
    _, cid, _ = run_ask(web, "Which book?", owner="alice")
    assert [c[1] for c in web.conversation_choices("alice")] == [cid]
    assert web.conversation_choices("bob") == []
    assert web.views(cid, "bob") == []


def test_generator_choices_offer_default_and_available(web):
    choices, default = web.generator_choices()
    assert [c[1] for c in choices] == ["", "extractive", "local"] and default == ""


def test_parse_auth(settings, tmp_path):
    from ui.app import UserError, parse_auth

    assert parse_auth(settings) is None
    f = tmp_path / "logins"
    f.write_text("# team\ncarol:s3cret:with:colons\n\n", encoding="utf-8")
    s = settings.model_copy(update={"auth": "alice:pw, bob:pw2", "auth_file": f})
    assert parse_auth(s) == [("alice", "pw"), ("bob", "pw2"), ("carol", "s3cret:with:colons")]
    with pytest.raises(UserError):
        parse_auth(settings.model_copy(update={"auth": "nopassword"}))


def test_build_app_wires_without_launching(settings):
    from ui.app import build_app

    demo = build_app(settings, FakeAssistant({"a.md": DOC}))
    assert demo.footnotes.settings is settings


def test_serve_subcommand_registers(monkeypatch):
    import argparse

    from ui import cli_serve

    parser = argparse.ArgumentParser()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus")
    common.add_argument("--data-dir")
    cli_serve.register(parser.add_subparsers(dest="command"), common)
    seen = {}
    monkeypatch.setattr("ui.app.serve", lambda s: seen.setdefault("s", s) and 0)
    args = parser.parse_args(["serve", "--host", "0.0.0.0", "--port", "9001", "--corpus", "/tmp/c"])
    args.func(args)
    assert (seen["s"].host, seen["s"].port, str(seen["s"].corpus_dir)) == ("0.0.0.0", 9001, "/tmp/c")

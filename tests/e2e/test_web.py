"""The web app in a real browser: ask → streamed answer → click a marker → the highlighted passage
and the document's own footnote; follow-ups; feedback and export; a restart; login; re-ingest of a
changed document while questions are answered; a hostile document and question; phone width and
dark mode. Tests run in file order and share one app (later ones change its corpus).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import urllib.request

import pytest

from tests.conftest import stop_process

pytestmark = pytest.mark.integration

MORGENTHAU_Q = "Which book is the Morgenthau quote about the objective of diplomacy from?"
AIZAWA = "aizawa-2024-jmod-defense-diplomacy.md"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'


def _open_conversation(page, title_part: str) -> None:
    page.locator("#fn-conv-list label", has_text=title_part).first.click()
    page.wait_for_selector('#fn-chat .fn-turn[data-turn="0"] .fn-turn-foot')


def _cite_with(page, h, turn: int, needle: str):
    """Click the markers of answer `turn` until the sources panel shows `needle`; return the panel."""
    markers = page.locator(f'#fn-chat .fn-turn[data-turn="{turn}"] .fn-answer-text .fn-marker')
    seen = []
    for i in range(markers.count()):
        marker = int(markers.nth(i).get_attribute("data-cite"))
        panel = h.open_citation(page, turn, marker)
        text = panel.inner_text()
        seen.append(text[:80])
        if needle in text:
            return marker, panel
    raise AssertionError(f"no source of answer {turn} shows {needle!r}: {seen}")


def test_answer_streams_and_a_marker_opens_the_source(page, app, h):
    h.shot(page, "chat-empty", docs=True)
    timings = h.ask(page, MORGENTHAU_Q, 0)
    assert timings["evidence"] <= timings["final"]
    assert timings["evidence"] < 3000, timings  # measured ~0.8 s; the engine's retrieval dominates
    turn = page.locator('#fn-chat .fn-turn[data-turn="0"]')
    assert turn.locator(".fn-answer-text .fn-marker").count() >= 1
    assert turn.locator(".fn-cites li").count() >= 1
    assert "Morgenthau" in turn.locator(".fn-answer-text").inner_text()
    # under the answer: title · section · page · date
    assert "Japanese Ministry of Defense" in turn.locator(".fn-cites").inner_text()

    marker, panel = _cite_with(page, h, 0, "Politics among Nations")
    hit = page.locator("#fn-sources mark.fn-hit")
    assert hit.is_visible() and "Morgenthau" in hit.inner_text()
    assert "In this sense" in panel.inner_text()  # the surrounding paragraph, not just the quote
    note = page.locator("#fn-sources .fn-note", has_text="Politics among Nations")
    assert note.is_visible() and note.locator(".fn-note-n").inner_text().strip() == "32"
    assert page.locator(f'#fn-chat .fn-marker.fn-active[data-cite="{marker}"]').count() >= 1
    h.shot(page, "chat-answer-sources", docs=True)

    page.click("#fn-sources .fn-open-doc")
    doc_hit = page.wait_for_selector("#fn-document #fn-doc-hit")
    page.wait_for_timeout(400)  # the viewer scrolls the span into view
    box = page.locator("#fn-document .fn-doc-text").bounding_box()
    span = doc_hit.bounding_box()
    assert box["y"] <= span["y"] and span["y"] + min(span["height"], 40) <= box["y"] + box["height"], (box, span)
    assert 0 <= span["y"] and span["y"] + min(span["height"], 40) <= page.viewport_size["height"], span  # on screen
    assert "PROFILE" in page.locator("#fn-document .fn-doc-text").inner_text()  # the whole document
    h.shot(page, "document-view", docs=True)
    page.keyboard.press("Escape")
    page.wait_for_selector("#fn-document", state="hidden")


def test_follow_up_in_the_same_conversation(page, app, h):
    _open_conversation(page, "Which book is the Morgenthau")
    page.click("#fn-ask")  # nothing typed: a readable message, no trace, the page keeps working
    page.wait_for_selector("text=Type a question first.")
    assert "Traceback" not in page.content()
    h.ask(page, "What edition of it is cited?", 1, record="follow_up")  # "it": the book of the first answer
    turn = page.locator('#fn-chat .fn-turn[data-turn="1"]')
    assert turn.locator(".fn-abstain").count() == 0, turn.inner_text()
    assert turn.locator(".fn-answer-text .fn-marker").count() >= 1
    _, panel = _cite_with(page, h, 1, "6th ed.")  # note 32 names the edition
    [conversation] = [c for c in app.web.store.list("") if c.title.startswith("Which book")]
    stored = app.web.store.turns(conversation.id)[1].answer
    assert "Morgenthau" in stored.standalone_question  # the history reached the engine
    h.shot(page, "follow-up")


def test_feedback_settings_and_markdown_export(page, app, h):
    _open_conversation(page, "Which book is the Morgenthau")
    page.click('#fn-chat .fn-turn[data-turn="0"] .fn-fb[data-feedback="up"]')
    page.wait_for_selector('#fn-chat .fn-turn[data-turn="0"] .fn-fb.fn-on[data-feedback="up"]')
    page.wait_for_selector("#fn-comment-box", state="visible")
    page.fill("#fn-comment textarea", "Exactly the note I needed.")
    page.click("#fn-comment-save")
    page.wait_for_selector("#fn-comment-box", state="hidden")
    [conversation] = [c for c in app.web.store.list("") if c.title.startswith("Which book")]
    assert app.web.store.feedback(conversation.id, 0) == (1, "Exactly the note I needed.")

    page.click("#fn-settings >> text=Answer settings")  # the settings accordion: generator choice and k
    page.wait_for_selector("#fn-generator", state="visible")
    page.wait_for_selector("#fn-k", state="visible")
    h.shot(page, "settings-feedback")

    with page.expect_download() as info:
        page.click("#fn-export")
    path = h.repo / "tests" / "artifacts" / "export.md"
    info.value.save_as(path)
    md = path.read_text(encoding="utf-8")
    assert info.value.suggested_filename.endswith(".md")
    assert md.startswith("# Which book is the Morgenthau")
    assert re.search(r"\[\^1-\d+\]", md) and re.search(r"^\[\^1-\d+\]: \*\*Japanese Ministry", md, re.M)
    assert "Source note 32: Hans J. Morgenthau and Kenneth W. Thompson" in md
    assert "## 2. What edition of it is cited?" in md and "_Feedback: helpful_" in md


def test_conversations_survive_a_restart(browser, app, h):
    """A second server process (`footnotes serve`) on the same data folder lists and reopens them."""
    port = h.free_port()
    env = {**os.environ, "FOOTNOTES_GENERATOR": "extractive", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--corpus", str(app.settings.corpus_dir),
                             "--data-dir", str(app.settings.data_path), "--port", str(port)],
                            cwd=h.repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        def up():
            if proc.poll() is not None:
                raise AssertionError(f"`footnotes serve` exited: {proc.stdout.read()}")
            try:
                return urllib.request.urlopen(url, timeout=2).status == 200
            except OSError:
                return False

        h.wait_until(up, timeout=120, every=0.5)
        ctx, page = h.open_page(browser, url)
        try:
            page.goto(url)
            page.wait_for_selector("#fn-conv-list label")
            _open_conversation(page, "Which book is the Morgenthau")
            assert page.locator("#fn-chat .fn-turn").count() == 2
            _cite_with(page, h, 0, "Politics among Nations")
            h.shot(page, "after-restart")
            assert not page.errors
        finally:
            ctx.close()
    finally:
        stop_process(proc)


def test_login_required_when_configured(browser, app, h):
    from ui.app import start

    settings = app.settings.model_copy(update={"auth": "reader:correct horse", "port": h.free_port()})
    demo, url = start(settings, assistant=app.web.assistant, warm=False)
    ctx, page = h.open_page(browser, url)
    try:
        page.goto(url)
        page.wait_for_selector("input[type=password]")
        assert page.locator("#fn-chat").count() == 0
        h.shot(page, "login", docs=True)
        page.locator("input[type=text], input:not([type])").first.fill("reader")
        page.fill("input[type=password]", "wrong")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=/incorrect|invalid/i")
        page.locator("input[type=text], input:not([type])").first.fill("reader")
        page.fill("input[type=password]", "correct horse")
        page.keyboard.press("Enter")
        page.wait_for_selector("#fn-chat .fn-conv")
        # another person's conversations are not listed
        assert page.locator("#fn-conv-list label", has_text="Which book is the Morgenthau").count() == 0
    finally:
        ctx.close()
        demo.close()


def _library(page):
    page.click("#fn-tabs button[role=tab]:has-text('Library')")
    page.wait_for_selector("#fn-library table")


def _upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#fn-upload input[type=file]",
                         files=[{"name": name, "mimeType": "text/plain", "buffer": data}])
    page.wait_for_selector(f"#fn-upload >> text={name}")
    page.click("#fn-add")


def test_changed_document_reingest_while_answering(page, browser, app, h):
    """Upload a new version of a document; questions are answered while the re-ingest waits for
    the ingest lock (held here); afterwards the same question cites the new text, and the old
    answer says its passage changed instead of pointing at the wrong text."""
    from ingest.pipeline import ingest_lock

    original = (app.settings.corpus_dir / AIZAWA).read_text(encoding="utf-8")
    changed = original.replace("As Hans J. Morgenthau stated, the primary objective",
                               "As Hans J. Morgenthau argued, the primary objective")
    changed = re.sub(r"^- ³² .*$", "- ³² Hans J. Morgenthau, *Scientific Man versus Power Politics* "
                     "(Chicago: University of Chicago Press, 1946), 12.", changed, flags=re.M)
    assert changed.count("Scientific Man") == 1 and "Morgenthau argued" in changed

    _library(page)
    h.shot(page, "library", docs=True)
    held, release = threading.Event(), threading.Event()

    def hold_lock():
        with ingest_lock(app.settings):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    held.wait(10)
    try:
        _upload(page, AIZAWA, changed.encode("utf-8"))
        h.wait_until(lambda: app.web.runner.running, timeout=15, page=page)
        page.wait_for_selector("#fn-report .progress-text, #fn-report .progress-level", timeout=10000)
        h.shot(page, "reingest-progress", docs=True)
        # meanwhile, in another tab, a question is answered
        ctx2, other = h.open_page(browser, app.url)
        try:
            other.goto(app.url)
            other.wait_for_selector("#fn-chat .fn-conv")
            timings = h.ask(other, "What is JASMINE?", 0, record="during_reingest")
            assert timings["final"] < 15000
            assert app.web.runner.running  # the answer came while the re-ingest was still waiting
        finally:
            ctx2.close()
    finally:
        release.set()
        holder.join()
    page.wait_for_selector("#fn-report .fn-report-done", timeout=60000)
    report = page.locator("#fn-report").inner_text()
    assert re.search(r"1\s*updated", report) and AIZAWA in report, report
    assert "indexed" in page.locator("#fn-library").inner_text()
    h.shot(page, "reingest-report", docs=True)

    page.click("#fn-tabs button[role=tab]:has-text('Chat')")
    page.click("#fn-new")
    h.ask(page, MORGENTHAU_Q, 0, record="after_reingest")
    answer = page.locator('#fn-chat .fn-turn[data-turn="0"] .fn-answer-text').inner_text()
    assert "Morgenthau argued" in answer and "Morgenthau stated" not in answer
    _cite_with(page, h, 0, "Scientific Man versus Power Politics")
    assert "Politics among Nations" not in page.locator("#fn-sources").inner_text()

    # the first conversation (two answers, asked before the change) now flags the changed passage
    conversations = app.web.store.list("")
    old = next(c for c in conversations if c.title.startswith("Which book") and c.turns == 2)
    page.locator("#fn-conv-list label").nth([c.id for c in conversations].index(old.id)).click()
    page.wait_for_selector('#fn-chat .fn-turn[data-turn="1"]')
    page.wait_for_selector("#fn-chat .fn-badge-stale")
    stale = page.locator('#fn-chat .fn-turn[data-turn="0"] .fn-marker.fn-stale').first
    stale.click()
    page.wait_for_selector("#fn-sources .fn-warning")
    warning = page.locator("#fn-sources .fn-warning").inner_text()
    assert "changed since" in warning and "re-ask" in warning
    assert "Morgenthau stated" in page.locator("#fn-sources .fn-quote").inner_text()  # the text as cited
    assert page.locator("#fn-sources .fn-open-doc").count() == 0
    h.shot(page, "changed-passage", docs=True)


def test_hostile_document_and_question_render_as_text(page, app, h):
    doc = (f"# Harbour rules {XSS}\n\n"
           f"The Zanzibar harbour protocol {XSS} requires every patrol vessel to register twice with the "
           f"port warden.¹ Vessels that skip the register are turned away at the breakwater.\n\n"
           f"- ¹ Zanzibar Port Authority, Register rules {XSS}, 2024, https://example.org/rules\n")
    _library(page)
    page.set_input_files("#fn-upload input[type=file]",
                         files=[{"name": "tool.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x00"}])
    page.wait_for_selector("text=/Invalid file type|unsupported file type/i")  # refused, readably
    assert not [p for p in app.settings.corpus_dir.iterdir() if p.name.startswith("tool")]
    h.shot(page, "upload-refused")
    if page.locator("#fn-upload button[aria-label*='Clear' i]").count():
        page.locator("#fn-upload button[aria-label*='Clear' i]").first.click()
    _upload(page, "../../zanzibar<script>.md", doc.encode("utf-8"))
    page.wait_for_selector("#fn-report .fn-report-done >> text=/1\\s*added/", timeout=60000)
    [name] = [p.name for p in app.settings.corpus_dir.iterdir() if "zanzibar" in p.name]
    assert re.fullmatch(r"zanzibar[\w\-() ]*\.md", name), name  # made safe, inside the corpus folder
    assert not [p for p in app.settings.corpus_dir.parent.rglob("*zanzibar*") if p.parent != app.settings.corpus_dir]
    title = page.locator("#fn-library tr", has_text=name).inner_text()
    assert "<script>" in title and 'onerror="' in title  # the title (its `__` read as emphasis by ingest), as text

    page.click("#fn-tabs button[role=tab]:has-text('Chat')")
    page.click("#fn-new")
    question = f"What does the Zanzibar harbour protocol require? {XSS}"
    h.ask(page, question, 0, record="xss")
    turn = page.locator('#fn-chat .fn-turn[data-turn="0"]')
    assert XSS in turn.locator(".fn-q").inner_text()  # the question, as text
    _cite_with(page, h, 0, "register twice")
    assert "<script>window.__xss=1</script>" in page.locator("#fn-sources").inner_text()
    page.click("#fn-sources .fn-open-doc")
    page.wait_for_selector("#fn-document #fn-doc-hit")
    assert '<img src=x onerror="window.__xss=1">' in page.locator("#fn-document").inner_text()
    h.shot(page, "xss-as-text")
    assert page.evaluate("() => window.__xss") is None
    page.click("#fn-document .fn-close-doc")
    page.wait_for_selector("#fn-document", state="hidden")
    assert page.locator("#fn-chat img, #fn-sources img, #fn-document img, #fn-library img").count() == 0

    # remove it again through the library: the answer then says its source changed
    _library(page)
    page.locator("#fn-remove-choice input").click()
    page.locator("[role=option]", has_text=name).click()
    page.click("#fn-remove")
    page.wait_for_selector("#fn-report .fn-report-done >> text=/1\\s*removed/", timeout=60000)
    assert not (app.settings.corpus_dir / name).exists()
    page.click("#fn-tabs button[role=tab]:has-text('Chat')")
    page.wait_for_selector("#fn-chat .fn-badge-stale")
    assert page.evaluate("() => window.__xss") is None


def test_phone_width_and_dark_mode(browser, app, h):
    ctx, page = h.open_page(browser, app.url, width=390, height=844, is_mobile=True, has_touch=True)
    try:
        page.goto(app.url)
        page.wait_for_selector("#fn-chat .fn-conv")
        page.wait_for_selector(".sidebar:not(.open)")  # phones start with the conversation list closed
        h.shot(page, "phone-start", docs=True)
        page.click(".sidebar .toggle-button")
        _open_conversation(page, "Which book is the Morgenthau")
        page.wait_for_selector(".sidebar:not(.open)")  # choosing a conversation closes the list
        _cite_with(page, h, 0, "Politics")
        page.wait_for_timeout(500)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        h.shot(page, "phone-sources", docs=True)
    finally:
        ctx.close()
    ctx, page = h.open_page(browser, app.url)
    try:
        page.goto(app.url)
        page.wait_for_selector("#fn-chat .fn-conv")
        page.click("#fn-theme")
        assert page.evaluate("() => document.body.classList.contains('dark')")
        _open_conversation(page, "Which book is the Morgenthau")
        _cite_with(page, h, 0, "Politics")
        h.shot(page, "dark-mode", docs=True)
        page.click("#fn-sources .fn-open-doc")
        page.wait_for_selector("#fn-document #fn-doc-hit")
        page.wait_for_timeout(400)
        h.shot(page, "dark-mode-document", docs=True)
        page.reload()
        page.wait_for_selector("#fn-chat .fn-conv")
        assert page.evaluate("() => document.body.classList.contains('dark')")  # the choice is remembered
        assert not page.errors
    finally:
        ctx.close()

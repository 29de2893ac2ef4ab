"""Browser tests of the web app: a real Chromium (Debian's /usr/bin/chromium) driven by Playwright,
against the real app on 127.0.0.1 — real ingest, real embedding model, real engine (generator
"extractive": fast and deterministic).

The session copies corpus/ to a temporary folder, ingests it, starts the app in this process and
tears it down at the end. Pages may only reach the app: every other request is aborted, so the
page must work offline (no fonts or scripts from a CDN).
Screenshots of every step go to tests/artifacts/; with FOOTNOTES_SCREENSHOTS=1 (`make screenshots`)
the main screens also refresh docs/screenshots/, so an ordinary test run leaves the tree clean.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMINGS: dict[str, list[float]] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """A private copy of corpus/, ingested with the real pipeline and embedding model."""
    from ingest.pipeline import ingest
    from ingest.settings import Settings

    root = tmp_path_factory.mktemp("web")
    shutil.copytree(REPO / "corpus", root / "corpus")
    settings = Settings(corpus_dir=root / "corpus", data_dir=root / "data", generator="extractive",
                        port=free_port(), upload_max_mb=2)
    report = ingest(settings)
    assert report.added and not report.failed, report.to_dict()
    return settings


@pytest.fixture(scope="session")
def app(corpus, browser):
    """The real app, launched like `footnotes serve` does, in a background thread."""
    from ui.app import start

    demo, url = start(corpus, warm=False)
    # The first answers over a freshly ingested corpus pay one-time costs in the engine (index load,
    # sentence vectors of the documents they touch); pay them here and record them, so the browser
    # timings measure the app as a reader meets it after the first few questions.
    for question in ("warm-up", "Which book is the Morgenthau quote about the objective of diplomacy from?",
                     "What is JASMINE?"):
        started = time.perf_counter()
        demo.footnotes.assistant.ask(question, generator="extractive")
        TIMINGS.setdefault("engine_first_answers_ms", []).append(round((time.perf_counter() - started) * 1000, 1))
    yield SimpleNamespace(url=url.rstrip("/") + "/", demo=demo, web=demo.footnotes, settings=corpus)
    demo.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps(TIMINGS, indent=1))


def open_page(browser, url: str, width: int = 1366, height: int = 900, **context):
    ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True, **context)
    base = url.split("/", 3)[:3]
    origin = "/".join(base)
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort())
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    return ctx, page


@pytest.fixture
def page(browser, app):
    ctx, page = open_page(browser, app.url)
    page.goto(app.url)
    page.wait_for_selector("#fn-chat .fn-conv")
    yield page
    errors = [e for e in page.errors if "ResizeObserver" not in e]
    ctx.close()
    assert not errors, f"errors in the page: {errors}"


def shot(page, name: str, docs: bool = False, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if docs and os.environ.get("FOOTNOTES_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
    return path


_ASK_JS = """([turn]) => new Promise((resolve) => {
  const pane = document.querySelector('#fn-chat');
  const t0 = performance.now();
  const out = {};
  const look = () => {
    const t = pane.querySelector('.fn-turn[data-turn="' + turn + '"]');
    if (!t) return;
    if (out.pending === undefined) out.pending = performance.now() - t0;
    const now = performance.now() - t0;
    if (out.evidence === undefined && t.querySelector('.fn-cite-row, .fn-abstain')) out.evidence = now;
    if (out.text === undefined && t.querySelector('.fn-answer-text, .fn-abstain')) out.text = performance.now() - t0;
    if (t.querySelector('.fn-turn-foot')) {
      out.final = performance.now() - t0;
      if (out.evidence === undefined) out.evidence = out.final;
      obs.disconnect(); resolve(out);
    }
  };
  const obs = new MutationObserver(look);
  obs.observe(pane, { subtree: true, childList: true, characterData: true });
  document.querySelector('#fn-ask').click();
})"""


def ask(page, question: str, turn: int, record: str | None = "ask") -> dict:
    """Type a question, press Ask, and time the stream in the page: evidence, text, final (ms)."""
    page.fill("#fn-question textarea", question)
    timings = page.evaluate(_ASK_JS, [turn])
    if record:
        for key, value in timings.items():
            TIMINGS.setdefault(f"{record}.{key}_ms", []).append(round(value, 1))
    return timings


def open_citation(page, turn: int, marker: int):
    """Click `[marker]` of answer `turn` and wait for the sources panel to show it."""
    page.click(f'#fn-chat .fn-turn[data-turn="{turn}"] .fn-answer-text .fn-marker[data-cite="{marker}"]')
    panel = page.wait_for_selector(f'#fn-sources .fn-panel[data-turn="{turn}"][data-cite="{marker}"]')
    return panel


def wait_until(predicate, timeout: float = 30.0, every: float = 0.2, page=None):
    """Poll a Python-side condition. With a `page`, wait through Playwright so the page's routed
    requests keep flowing (a plain sleep would stall them: routes are served by this thread)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        if page is not None:
            page.wait_for_timeout(every * 1000)
        else:
            time.sleep(every)
    raise AssertionError("condition not met in time")


@pytest.fixture(scope="session")
def h():
    """The helpers above, for the test modules (importing from a conftest is fragile)."""
    return SimpleNamespace(ask=ask, open_citation=open_citation, shot=shot, wait_until=wait_until,
                           open_page=open_page, free_port=free_port, repo=REPO, timings=TIMINGS)

"""The Footnotes web app (Gradio): chat with clickable citations, a sources panel, a library.

`build_app(settings, assistant)` builds the Blocks; `serve(settings)` launches it and blocks.
The page's logic lives in `WebApp`, whose methods are plain functions of plain values (tested in
tests/test_ui_handlers.py); `build_app` only wires them to components. All HTML comes from
`ui.render`, which escapes every piece of text.

Errors reach the page as `gr.Error`/`gr.Warning` messages that say what to do; tracebacks go to
the server log only.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import gradio as gr  # noqa: E402

from assistant.types import Answer, Citation  # noqa: E402
from ingest.errors import IngestError  # noqa: E402
from ingest.loaders import SUPPORTED  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from ui import render  # noqa: E402
from ui.conversations import ConversationStore, StoreError  # noqa: E402
from ui.library import IngestRunner, LibraryError, library_rows, remove_document, save_uploads  # noqa: E402

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
STREAM_EVERY_S = 0.08
CONFIRM_REMOVE = "(name) => (name && confirm('Remove ' + name + ' from the corpus?')) ? name : null"
# On a phone the conversation list covers the page: close it once a conversation is chosen.
CLOSE_SIDEBAR_ON_PHONES = """(value) => {
  if (window.innerWidth < 760) document.querySelector('.sidebar.open .toggle-button')?.click();
  return value;
}"""  # at most ~12 chat repaints a second while text streams


class UserError(Exception):
    """Something the person at the page can fix; shown as a message, never as a traceback."""


def _friendly(exc: BaseException) -> str:
    if isinstance(exc, (UserError, LibraryError, StoreError)):
        return str(exc)
    if isinstance(exc, IngestError):
        return f"{exc.file}: {exc.reason}"
    name = exc.__class__.__name__
    if name.endswith("Error") and exc.__class__.__module__.startswith(("assistant", "ingest")):
        return str(exc)  # the packages' own errors already say what to do
    return f"Something went wrong ({name}: {exc}). The server log has the details."


class WebApp:
    """Everything the page does, as methods over plain values (owner = login name or "")."""

    def __init__(self, settings: Settings, assistant: Any):
        self.settings = settings
        self.assistant = assistant
        self.store = ConversationStore(settings.data_path / "conversations.sqlite3")
        self.runner = IngestRunner(settings, on_done=self._ingested)
        self.export_dir = Path(tempfile.gettempdir()) / "footnotes-exports"
        self._pending: dict[str, render.TurnView] = {}  # conversation id → the turn being written

    def _ingested(self, report) -> None:
        """After a re-ingest: the assistant reads the new index, loaded now rather than on the next question."""
        self.assistant.reload()
        threading.Thread(target=warm_up, args=(self.assistant,), name="footnotes-warm", daemon=True).start()

    # --- reading conversations -----------------------------------------------------------------

    def _stale(self, answer: Answer) -> set[int]:
        """Markers whose passage a re-ingest changed or removed since the answer was given."""
        stale = set()
        for c in answer.citations:
            if not c.passage_id:
                continue
            try:
                if not self.assistant.passage_is_current(c.passage_id):
                    stale.add(c.marker)
            except Exception:  # an index being rebuilt: the panel still checks the text itself
                log.debug("passage_is_current failed", exc_info=True)
        return stale

    def views(self, cid: str | None, owner: str = "") -> list[render.TurnView]:
        if not cid or not self.store.exists(cid, owner):
            return []
        return [render.TurnView(t.index, t.question, t.answer, self._stale(t.answer), t.feedback)
                for t in self.store.turns(cid, owner)]

    def chat_html(self, cid: str | None, owner: str = "") -> str:
        views = self.views(cid, owner)
        pending = self._pending.get(cid) if cid else None
        if pending is not None:
            views.append(pending)
        return render.conversation_html(views)

    def history(self, cid: str | None, owner: str = "") -> list[Answer]:
        return [v.answer for v in self.views(cid, owner) if v.answer is not None]

    def conversation_choices(self, owner: str = "") -> list[tuple[str, str]]:
        out = []
        for s in self.store.list(owner):
            try:
                stamp = datetime.fromisoformat(s.updated_at).astimezone().strftime("%b %d, %H:%M")
            except ValueError:
                stamp = s.updated_at
            title = s.title or "Untitled"
            title = title if len(title) <= 64 else title[:63].rstrip() + "…"
            out.append((f"{title} — {stamp}", s.id))
        return out

    # --- asking ----------------------------------------------------------------------------------

    def ask(self, question: str, cid: str | None, owner: str = "", generator: str | None = None,
            k: int | None = None) -> Iterator[tuple[str, str, Answer | None]]:
        """Stream one turn: yields (chat html, conversation id, final answer or None).

        The evidence (citations) is shown as soon as retrieval ends, then the text as it is
        generated; the finished turn is stored with the conversation.
        """
        question = (question or "").strip()
        if not question:
            raise UserError("Type a question first.")
        if len(question) > 4000:
            raise UserError("That question is very long; ask in fewer than 4,000 characters.")
        if not cid or not self.store.exists(cid, owner):
            cid = self.store.create(owner, question)
        history = self.history(cid, owner)
        view = render.TurnView(len(history), question)
        self._pending[cid] = view
        final: Answer | None = None
        try:
            yield self.chat_html(cid, owner), cid, None
            last = 0.0
            for ev in self.assistant.stream(question, history=history, generator=generator or None, k=k or None):
                kind = getattr(ev, "kind", "")
                if kind == "evidence":
                    view.evidence = ev.answer
                    yield self.chat_html(cid, owner), cid, None
                    last = time.monotonic()
                elif kind == "text":
                    view.partial += ev.delta or ""
                    if time.monotonic() - last >= STREAM_EVERY_S:
                        yield self.chat_html(cid, owner), cid, None
                        last = time.monotonic()
                elif kind == "final":
                    final = ev.answer
            if final is None:
                raise UserError("The assistant stopped without an answer; ask again.")
            self.store.add_turn(cid, final, owner, question=question)
        finally:
            self._pending.pop(cid, None)
        yield self.chat_html(cid, owner), cid, final

    # --- checking a citation ---------------------------------------------------------------------

    def _citation(self, cid: str | None, owner: str, turn: int, marker: int) -> Citation:
        pending = self._pending.get(cid) if cid else None
        answer = None
        if pending is not None and pending.index == turn:
            answer = pending.evidence
        elif cid and self.store.exists(cid, owner):
            turns = self.store.turns(cid, owner)
            if 0 <= turn < len(turns):
                answer = turns[turn].answer
        if answer is None:
            raise UserError("That answer is no longer on this page; ask again.")
        for c in answer.citations:
            if c.marker == marker:
                return c
        raise UserError(f"Answer {turn + 1} has no source [{marker}].")

    def _document_text(self, file: str) -> str | None:
        try:
            return self.assistant.document_text(file)
        except Exception:  # removed from the corpus, unreadable: the panel says so
            log.info("document_text(%s) failed", file, exc_info=True)
            return None

    def citation_panel(self, cid: str | None, owner: str, turn: int, marker: int) -> str:
        try:
            c = self._citation(cid, owner, int(turn), int(marker))
        except UserError as exc:
            return render.message_panel_html(str(exc))
        current = True
        if c.passage_id:
            try:
                current = bool(self.assistant.passage_is_current(c.passage_id))
            except Exception:
                current = True  # the panel compares the text at the offsets with the quote anyway
        return render.citation_panel_html(c, int(turn), self._document_text(c.file), current)

    def document_view(self, cid: str | None, owner: str, turn: int, marker: int) -> str:
        c = self._citation(cid, owner, int(turn), int(marker))
        text = self._document_text(c.file)
        if text is None:
            raise UserError(f"{c.file} is no longer in the corpus.")
        if text[c.start:c.end] != c.quote:
            raise UserError(render.STALE_TEXT)
        return render.document_html(c, text)

    # --- feedback and export ---------------------------------------------------------------------

    def feedback(self, cid: str | None, owner: str, turn: int, value: str | int) -> int | None:
        """Thumbs up/down; the same thumb again clears it. Returns the stored value."""
        if not cid or not self.store.exists(cid, owner):
            raise UserError("Ask a question first.")
        v = {"up": 1, "down": -1}.get(value, value)
        current, _ = self.store.feedback(cid, int(turn))
        new = None if current == v else v
        self.store.set_feedback(cid, int(turn), new, owner=owner)
        return new

    def comment(self, cid: str | None, owner: str, turn: int, text: str) -> None:
        if not cid or not self.store.exists(cid, owner):
            raise UserError("Ask a question first.")
        current, _ = self.store.feedback(cid, int(turn))
        self.store.set_feedback(cid, int(turn), current, comment=text or "", owner=owner)

    def export(self, cid: str | None, owner: str = "") -> Path | None:
        """Write the conversation as Markdown; returns the file (None for an empty conversation)."""
        views = self.views(cid, owner)
        if not views:
            return None
        title = self.store.title(cid, owner)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50] or "conversation"
        folder = self.export_dir / cid
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"footnotes-{slug}.md"
        path.write_text(render.export_markdown(title, views), encoding="utf-8")
        return path

    # --- library ---------------------------------------------------------------------------------

    def library_html(self) -> str:
        return render.library_html(library_rows(self.settings, self.runner.last_report))

    def corpus_names(self) -> list[str]:
        return [r["file"] for r in library_rows(self.settings) if r.get("state") != "removed"]

    def upload(self, files: list[Any] | None) -> list[str]:
        paths = [getattr(f, "name", f) for f in (files or [])]
        saved = save_uploads(self.settings, paths)
        return [f"{s.name} ({'replaced' if s.replaced else 'new'})" for s in saved]

    def remove(self, name: str | None) -> str:
        return remove_document(self.settings, name or "")

    def reingest(self, tick=None) -> dict:
        job = self.runner.wait(self.runner.start(), tick)
        if job.error:
            raise UserError(job.error)
        return job.report.to_dict()

    def generator_choices(self) -> tuple[list[tuple[str, str]], str]:
        try:
            names = list(self.assistant.available_generators())
        except Exception:
            log.warning("available_generators failed", exc_info=True)
            names = ["extractive"]
        labels = {"extractive": "Extractive (quotes only, instant)", "local": "Local model (bundled, CPU)",
                  "openai": "OpenAI-compatible endpoint"}
        choices = [(labels.get(n, n), n) for n in names]
        default = self.settings.generator if self.settings.generator in names else ""
        return [("Default", "")] + choices, default


# --- wiring ----------------------------------------------------------------------------------------


def _owner(request: gr.Request | None) -> str:
    return (getattr(request, "username", None) or "") if request is not None else ""


def _read(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def build_app(settings: Settings, assistant: Any = None) -> gr.Blocks:
    """The Gradio Blocks of the app (launch it with `launch_options(settings)`, or use `serve`)."""
    if assistant is None:
        from assistant.engine import Assistant

        assistant = Assistant(settings)
    web = WebApp(settings, assistant)
    gen_choices, gen_default = web.generator_choices()

    def guard(fn):
        """Run a handler; every failure reaches the page as a readable gr.Error (unexpected ones are
        logged with their traceback). Keeps the signature, which Gradio reads for Request/EventData."""
        def convert(exc: Exception) -> gr.Error:
            if not isinstance(exc, (UserError, LibraryError, StoreError, IngestError)):
                log.exception("handler %s failed", fn.__name__)
            return gr.Error(_friendly(exc), print_exception=False)

        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def stream(*args, **kwargs):
                try:
                    yield from fn(*args, **kwargs)
                except gr.Error:
                    raise
                except Exception as exc:
                    raise convert(exc) from None
            return stream

        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as exc:
                raise convert(exc) from None
        return run

    with gr.Blocks(title="Footnotes — answers you can check", fill_width=True) as demo:
        cid = gr.State(None)
        fb_turn = gr.State(None)

        with gr.Sidebar(label="Conversations", open=True, width=300, elem_id="fn-sidebar"):
            new_btn = gr.Button("+ New conversation", variant="primary", elem_id="fn-new")
            conv_list = gr.Radio(choices=[], value=None, label="Conversations", elem_id="fn-conv-list",
                                 show_label=True)

        with gr.Row(elem_id="fn-header"):
            gr.HTML('<div class="fn-brand"><span class="fn-logo">¹</span><div><h1>Footnotes</h1>'
                    '<p>Answers from policy documents — every sentence cites the exact passage and the '
                    'document’s own footnote.</p></div></div>', elem_id="fn-brand")
            theme_btn = gr.Button("◐ Dark / light", size="sm", variant="secondary", elem_id="fn-theme",
                                  scale=0, min_width=120)

        with gr.Tabs(elem_id="fn-tabs") as tabs:
            with gr.Tab("Chat", id="chat", elem_id="fn-tab-chat"):
                with gr.Row(equal_height=False, elem_id="fn-main"):
                    with gr.Column(scale=3, min_width=340, elem_id="fn-left"):
                        chat = gr.HTML(render.conversation_html([]), js_on_load=_read("chat.js"),
                                       elem_id="fn-chat", apply_default_css=False)
                        with gr.Row(elem_id="fn-ask-row", equal_height=True):
                            question = gr.Textbox(placeholder="Ask about the documents…", show_label=False,
                                                  lines=1, max_lines=6, scale=6, elem_id="fn-question",
                                                  container=False, autofocus=True)
                            ask_btn = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="fn-ask")
                        with gr.Group(visible=False, elem_id="fn-comment-box") as comment_box:
                            comment = gr.Textbox(label="Comment on this answer (optional)", lines=2,
                                                 elem_id="fn-comment")
                            with gr.Row():
                                comment_btn = gr.Button("Save comment", size="sm", elem_id="fn-comment-save")
                                comment_close = gr.Button("Close", size="sm", variant="secondary")
                        with gr.Row(elem_id="fn-tools"):
                            export_btn = gr.DownloadButton("⇩ Export Markdown", value=None, size="sm",
                                                           interactive=False, elem_id="fn-export",
                                                           variant="secondary")
                            with gr.Accordion("Answer settings", open=False, elem_id="fn-settings"):
                                generator = gr.Dropdown(choices=gen_choices, value=gen_default,
                                                        label="Answer composer", elem_id="fn-generator",
                                                        interactive=True)
                                k = gr.Slider(1, 15, value=settings.top_k, step=1,
                                              label="Passages handed to the answer step (k)", elem_id="fn-k")
                    with gr.Column(scale=2, min_width=320, elem_id="fn-side"):
                        sources = gr.HTML(render.sources_placeholder_html(), js_on_load=_read("sources.js"),
                                          elem_id="fn-sources", apply_default_css=False)

            with gr.Tab("Library", id="library", elem_id="fn-tab-library") as library_tab:
                with gr.Row(equal_height=False, elem_id="fn-lib-actions"):
                    with gr.Column(scale=3, min_width=300):
                        upload = gr.File(file_count="multiple", file_types=list(SUPPORTED), type="filepath",
                                         label=f"Add or replace documents ({', '.join(SUPPORTED)}; "
                                               f"up to {settings.upload_max_mb:g} MB each)",
                                         elem_id="fn-upload", height=120)
                        add_btn = gr.Button("Add to corpus and re-ingest", variant="primary", elem_id="fn-add")
                    with gr.Column(scale=2, min_width=260):
                        remove_dd = gr.Dropdown(choices=web.corpus_names(), value=None, label="Remove a document",
                                                elem_id="fn-remove-choice", interactive=True)
                        with gr.Row():
                            remove_btn = gr.Button("Remove and re-ingest", variant="stop", elem_id="fn-remove",
                                                   min_width=120)
                            reingest_btn = gr.Button("Re-ingest now", elem_id="fn-reingest", min_width=120)
                report = gr.HTML(render.report_placeholder_html(), elem_id="fn-report", apply_default_css=False,
                                 min_height=56)
                library = gr.HTML(web.library_html, elem_id="fn-library", apply_default_css=False)

        # The document viewer is a panel over the page: outside every layout block, so no column's
        # stacking context can put page elements above it.
        document = gr.HTML("", js_on_load=_read("document.js"), elem_id="fn-document", visible=False,
                           apply_default_css=False)

        # --- handlers ---------------------------------------------------------------------------
        def export_update(conv, owner):
            """The export button always holds the conversation as it is now (feedback included)."""
            path = web.export(conv, owner)
            return gr.update(value=str(path) if path else None, interactive=path is not None)

        @guard
        def on_ask(q, conv, gen, kk, request: gr.Request):
            owner = _owner(request)
            for html, conv, final in web.ask(q, conv, owner, gen or None, int(kk) if kk else None):
                if final is None:
                    yield html, conv, "", gr.skip(), gr.skip()
                else:
                    yield (html, conv, gr.skip(), gr.update(choices=web.conversation_choices(owner), value=conv),
                           export_update(conv, owner))

        def settle_chat(conv, request: gr.Request):
            """After an ask, failed or not: the chat as stored (no half-written turn left behind)."""
            return web.chat_html(conv, _owner(request))

        ask_outputs = [chat, cid, question, conv_list, export_btn]
        for trigger in (question.submit, ask_btn.click):
            trigger(on_ask, [question, cid, generator, k], ask_outputs, show_progress="hidden",
                    concurrency_limit=8, concurrency_id="ask").then(
                settle_chat, [cid], [chat], show_progress="hidden")

        @guard
        def ask_api(question: str, conversation_id: str | None = None, request: gr.Request = None) -> dict:
            """The chat's Ask for programs (scripts, `benchmarks.load`): the same turn, stored with the
            conversation, returned as data — {"conversation_id", "answer"}, citations with file/start/end/quote."""
            conv, final = conversation_id, None
            for _, conv, final in web.ask(question, conversation_id or None, _owner(request)):
                pass
            return {"conversation_id": conv, "answer": final.to_dict()}

        gr.api(ask_api, api_name="ask", concurrency_limit=8, concurrency_id="ask")

        @guard
        def on_example(evt: gr.EventData):
            return evt.text

        chat.example(on_example, None, question, show_progress="hidden").then(
            on_ask, [question, cid, generator, k], ask_outputs, show_progress="hidden",
            concurrency_limit=8, concurrency_id="ask")

        @guard
        def on_cite(conv, evt: gr.EventData, request: gr.Request):
            return web.citation_panel(conv, _owner(request), evt.turn, evt.marker), gr.update(visible=False)

        chat.cite(on_cite, [cid], [sources, document], show_progress="hidden")

        @guard
        def on_open_doc(conv, evt: gr.EventData, request: gr.Request):
            return gr.update(value=web.document_view(conv, _owner(request), evt.turn, evt.marker), visible=True)

        sources.open_doc(on_open_doc, [cid], [document], show_progress="hidden")
        document.close_doc(lambda: gr.update(visible=False), None, [document], show_progress="hidden")

        @guard
        def on_feedback(conv, evt: gr.EventData, request: gr.Request):
            owner = _owner(request)
            value = web.feedback(conv, owner, evt.turn, evt.value)
            _, old = web.store.feedback(conv, int(evt.turn))
            label = f"Comment on answer {int(evt.turn) + 1} (optional)"
            return (web.chat_html(conv, owner), evt.turn,
                    gr.update(visible=value is not None),
                    gr.update(label=label, value=old or ""), export_update(conv, owner))

        chat.feedback(on_feedback, [cid], [chat, fb_turn, comment_box, comment, export_btn], show_progress="hidden")

        @guard
        def on_comment(conv, turn, text, request: gr.Request):
            if turn is None:
                raise UserError("Rate an answer first (thumbs up or down), then comment.")
            web.comment(conv, _owner(request), turn, text)
            gr.Info("Thank you — feedback saved.")
            return gr.update(visible=False), export_update(conv, _owner(request))

        comment_btn.click(on_comment, [cid, fb_turn, comment], [comment_box, export_btn])
        comment_close.click(lambda: gr.update(visible=False), None, [comment_box])

        def fresh_conversation():
            return (None, render.conversation_html([]), render.sources_placeholder_html(),
                    gr.update(visible=False), gr.update(value=None, interactive=False), gr.update(value=None),
                    gr.update(visible=False))

        new_btn.click(fresh_conversation, None,
                      [cid, chat, sources, document, export_btn, conv_list, comment_box], show_progress="hidden",
                      js=CLOSE_SIDEBAR_ON_PHONES)

        @guard
        def on_open_conversation(conv, request: gr.Request):
            owner = _owner(request)
            if not conv or not web.store.exists(conv, owner):
                raise UserError("That conversation no longer exists.")
            return (conv, web.chat_html(conv, owner), render.sources_placeholder_html(), gr.update(visible=False),
                    export_update(conv, owner), gr.update(visible=False), gr.update(selected="chat"))

        conv_list.input(on_open_conversation, [conv_list],
                        [cid, chat, sources, document, export_btn, comment_box, tabs], show_progress="hidden",
                        js=CLOSE_SIDEBAR_ON_PHONES)

        @guard
        def on_load(conv, request: gr.Request):
            owner = _owner(request)
            return (gr.update(choices=web.conversation_choices(owner), value=conv), web.chat_html(conv, owner),
                    gr.update(choices=web.corpus_names()))

        demo.load(on_load, [cid], [conv_list, chat, remove_dd], show_progress="hidden")

        @guard
        def on_library():
            """The folder may have changed behind the app's back (CLI ingest, files copied in)."""
            return web.library_html(), gr.update(choices=web.corpus_names())

        library_tab.select(on_library, None, [library, remove_dd], show_progress="hidden")
        theme_btn.click(None, None, None, js=_read("theme.js"))

        # library ---------------------------------------------------------------------------------
        @guard
        def on_upload(files):
            saved = web.upload(files)
            return gr.update(value=None), web.library_html(), render.report_running_html("Added " + ", ".join(saved))

        @guard
        def on_remove(name):
            if not name:
                raise UserError("Choose a document to remove first.")
            web.remove(name)
            return web.library_html(), render.report_running_html(f"Removed {name}")

        @guard
        def on_reingest(progress=gr.Progress()):
            progress(0.0, desc="Re-ingesting…")
            result = web.reingest(lambda f, m: progress(f, desc=f"Re-ingesting: {m}"))
            if result.get("failed"):
                gr.Warning(f"{len(result['failed'])} document(s) could not be ingested; see the report.")
            names = web.corpus_names()
            return render.report_html(result), web.library_html(), gr.update(choices=names, value=None)

        def refresh_chat(conv, request: gr.Request):
            return web.chat_html(conv, _owner(request))

        reingest_outputs = [report, library, remove_dd]
        reingest_opts = dict(concurrency_limit=1, concurrency_id="ingest", show_progress="full",
                             show_progress_on=[report])  # the bar in the report; the table stays readable
        add_btn.click(on_upload, [upload], [upload, library, report], show_progress_on=[report]).success(
            on_reingest, None, reingest_outputs, **reingest_opts).success(
            refresh_chat, [cid], [chat], show_progress="hidden")
        remove_btn.click(on_remove, [remove_dd], [library, report], show_progress_on=[report],
                         js=CONFIRM_REMOVE).success(
            on_reingest, None, reingest_outputs, **reingest_opts).success(
            refresh_chat, [cid], [chat], show_progress="hidden")
        reingest_btn.click(on_reingest, None, reingest_outputs, api_name="reingest", **reingest_opts).success(
            refresh_chat, [cid], [chat], show_progress="hidden")

    demo.footnotes = web  # for tests and embedding
    return demo


# --- launching -------------------------------------------------------------------------------------


def parse_auth(settings: Settings) -> list[tuple[str, str]] | None:
    """Logins from `auth` ("user:pass,user2:pass2") and `auth_file` (one `user:pass` a line)."""
    entries: list[str] = []
    if settings.auth:
        entries += [e for e in settings.auth.split(",")]
    if settings.auth_file:
        try:
            lines = Path(settings.auth_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UserError(f"cannot read the login file {settings.auth_file} ({exc.strerror}); "
                            f"fix FOOTNOTES_AUTH_FILE") from exc
        entries += [line for line in lines if not line.strip().startswith("#")]
    pairs = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise UserError(f"login entry “{user.strip() or entry[:20]}” is not `user:password`; "
                            f"fix FOOTNOTES_AUTH or the login file")
        pairs.append((user.strip(), password))
    return pairs or None


def theme() -> gr.themes.Base:
    """System fonts (nothing fetched from the network), calm indigo accents, readable sizes."""
    return gr.themes.Soft(
        primary_hue="indigo", secondary_hue="slate", neutral_hue="slate",
        font=["Inter", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )


def launch_options(settings: Settings) -> dict:
    """Keyword arguments for `Blocks.launch` that every way of starting the app shares."""
    return dict(
        server_name=settings.host, server_port=settings.port, auth=parse_auth(settings),
        auth_message="Footnotes: sign in to ask the documents.", show_error=True, quiet=True,
        theme=theme(), css=_read("app.css"), max_file_size=f"{settings.upload_max_mb:g}mb",
        footer_links=[], ssr_mode=False, js=_read("theme_init.js"),
    )


def warm_up(assistant: Any) -> None:
    """Load the index and the embedding model before the first question needs them."""
    try:
        if hasattr(assistant, "warm"):
            assistant.warm()
        else:
            assistant.ask("warm-up", generator="extractive", k=1)
    except Exception:  # the first real question will report the problem properly
        log.info("warm-up failed", exc_info=True)


def start(settings: Settings, assistant: Any = None, warm: bool = True) -> tuple[gr.Blocks, str]:
    """Build and launch without blocking; returns the app and its local URL."""
    options = launch_options(settings)  # checks the login settings before anything heavy loads
    demo = build_app(settings, assistant)
    demo.queue(default_concurrency_limit=4)
    _, url, _ = demo.launch(prevent_thread_lock=True, **options)
    if warm:
        threading.Thread(target=warm_up, args=(demo.footnotes.assistant,), name="footnotes-warm", daemon=True).start()
    return demo, url


def serve(settings: Settings) -> int:
    """Launch the web app and block until interrupted (`footnotes serve`, `footnotes run`)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("ui").setLevel(logging.INFO)
    try:
        demo, url = start(settings)
    except (UserError, StoreError) as exc:
        print(f"error: {exc}")
        return 2
    except OSError as exc:
        print(f"error: cannot listen on {settings.host}:{settings.port} ({exc}); set FOOTNOTES_PORT or --port")
        return 2
    print(f"Footnotes is running at {url}" + (" (login required)" if parse_auth(settings) else ""))
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {settings.host}, reachable from other machines"
              + ("" if parse_auth(settings) else " — set FOOTNOTES_AUTH to require a login"))
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()
    return 0

"""Answers, citations, documents and exports as HTML/Markdown — pure functions, everything escaped.

Every piece of text that comes from a document, a model or a user goes through `esc` before it
touches markup; the only markup is what this module writes. The browser never sees raw text in an
attribute or a tag position, so a document holding `<script>` or `onerror=` shows as text and runs
nothing (tests/e2e/test_web.py::test_hostile_document_and_question_render_as_text). Interactive
elements carry `data-*` attributes that the page's click listeners (ui/static/*.js) turn into
server events.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlparse

from assistant.types import Answer, Citation, SourceNote

# `[1]`, `[1][2]` and `[1, 2]` after a sentence; only numbers that name a citation become links.
MARKER_RE = re.compile(r"[ \t]*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
CONTEXT_CHARS = 400
ABSTAIN_TEXT = ("Not in the corpus: none of the documents supports an answer to this question. "
                "Try other words, or add the document that answers it in the Library.")
STALE_TEXT = "This passage changed since this answer was given; re-ask the question to cite the current text."


def esc(value: object) -> str:
    """HTML-escape any value (quotes too, so the result is safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: str) -> str | None:
    """Only http(s)/mailto links become clickable; `javascript:` and friends stay text."""
    try:
        scheme = urlparse(url.strip()).scheme.lower()
    except ValueError:
        return None
    url = url.strip()
    if scheme not in ("http", "https", "mailto") or not re.fullmatch(r"[^\s<>\"'`]+", url):
        return None
    return url


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _join_lines(text: str) -> str:
    """Hard-wrapped source lines read as one paragraph."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text)


def _emphasis(escaped: str) -> str:
    """Markdown `*italic*`/`**bold**` in already-escaped note text (book titles read as titles)."""
    escaped = re.sub(r"\*\*([^*\n]+)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<em>\1</em>", escaped)


# --- answers -------------------------------------------------------------------------------------


@dataclass
class TurnView:
    """One question and its answer as the chat shows it (`answer` None while it is being written)."""

    index: int
    question: str
    answer: Answer | None = None
    stale: set[int] = field(default_factory=set)  # markers whose passage changed since
    feedback: int | None = None  # +1 / -1
    evidence: Answer | None = None  # while streaming: the citations found so far
    partial: str = ""  # while streaming: generated text so far


def marker_button(turn: int, marker: int, title: str = "", stale: bool = False) -> str:
    label = f"Source {marker}" + (f": {title}" if title else "")
    cls = "fn-marker fn-stale" if stale else "fn-marker"
    return (f'<button type="button" class="{cls}" data-turn="{turn}" data-cite="{marker}" '
            f'title="{esc(label)}" aria-label="{esc(label)}">{marker}</button>')


def answer_text_html(text: str, citations: list[Citation], turn: int, stale: set[int] = frozenset()) -> str:
    """Answer text as paragraphs, each `[n]` a clickable footnote marker (escaped first)."""
    by_marker = {c.marker: c for c in citations}

    def replace(m: re.Match) -> str:
        numbers = [int(x) for x in re.findall(r"\d+", m.group(1))]
        if not all(n in by_marker for n in numbers):
            return m.group(0)
        buttons = "".join(marker_button(turn, n, by_marker[n].title, n in stale) for n in numbers)
        return f'<sup class="fn-refs">{buttons}</sup>'

    paragraphs = _paragraphs(text) or [""]
    return "".join(f"<p>{MARKER_RE.sub(replace, _emphasis(esc(p))).replace(chr(10), '<br>')}</p>"
                   for p in paragraphs)


def citation_meta(c: Citation) -> list[str]:
    """Section, page and date as short labels (escaped)."""
    parts = []
    if c.section:
        parts.append(esc(c.section))
    if c.page:
        parts.append(f"p.&nbsp;{esc(c.page)}")
    if c.date:
        parts.append(esc(c.date))
    return parts


def citation_list_html(citations: list[Citation], turn: int, stale: set[int] = frozenset()) -> str:
    """The compact list under an answer: marker, title, section, page, date."""
    if not citations:
        return ""
    items = []
    for c in sorted(citations, key=lambda c: c.marker):
        meta = " · ".join(citation_meta(c))
        flag = '<span class="fn-badge fn-badge-stale">changed since</span>' if c.marker in stale else ""
        items.append(
            f'<li><button type="button" class="fn-cite-row" data-turn="{turn}" data-cite="{c.marker}">'
            f'<span class="fn-cite-n">{c.marker}</span>'
            f'<span class="fn-cite-body"><span class="fn-cite-title">{esc(c.title or c.file)}</span>'
            f'{" · " if meta else ""}<span class="fn-cite-meta">{meta}</span>{flag}</span></button></li>'
        )
    return f'<ol class="fn-cites" aria-label="Sources">{"".join(items)}</ol>'


_THUMB = ('<svg viewBox="0 0 24 24" width="15" height="15" fill="none" stroke="currentColor" stroke-width="2" '
          'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="{}"/></svg>')
THUMB_UP = _THUMB.format("M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3z"
                         "M7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3")
THUMB_DOWN = _THUMB.format("M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3z"
                           "m7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17")


def _feedback_html(turn: int, feedback: int | None) -> str:
    up = " fn-on" if feedback == 1 else ""
    down = " fn-on" if feedback == -1 else ""
    def button(value: str, on: str, label: str, icon: str) -> str:
        return (f'<button type="button" class="fn-fb{on}" data-turn="{turn}" data-feedback="{value}" '
                f'title="{label}" aria-label="{label}" aria-pressed="{str(bool(on)).lower()}">{icon}</button>')

    return (f'<span class="fn-feedback">{button("up", up, "Good answer", THUMB_UP)}'
            f'{button("down", down, "Bad answer", THUMB_DOWN)}</span>')


def turn_html(view: TurnView) -> str:
    i = view.index
    question = "".join(f"<p>{esc(_join_lines(p))}</p>" for p in _paragraphs(view.question)) or "<p></p>"
    parts = [f'<div class="fn-turn" data-turn="{i}">',
             f'<div class="fn-q"><div class="fn-who">You</div>{question}</div>', '<div class="fn-a">',
             '<div class="fn-who">Footnotes</div>']
    a = view.answer
    if a is None:  # still being written
        ev = view.evidence
        if ev is None:
            parts.append('<div class="fn-pending"><span class="fn-spinner"></span>Searching the documents…</div>')
        else:
            if view.partial:
                parts.append(f'<div class="fn-answer-text fn-streaming">'
                             f'{answer_text_html(view.partial, ev.citations, i)}</div>')
            else:
                what = "Writing the answer" if ev.citations else "Checking the evidence"
                parts.append(f'<div class="fn-pending"><span class="fn-spinner"></span>{what}…</div>')
            parts.append(citation_list_html(ev.citations, i))
    elif a.abstained:
        text = a.text.strip() or ABSTAIN_TEXT
        parts.append(f'<div class="fn-abstain">{"".join(f"<p>{esc(p)}</p>" for p in _paragraphs(text))}</div>')
    else:
        parts.append(f'<div class="fn-answer-text">{answer_text_html(a.text, a.citations, i, view.stale)}</div>')
        if a.notice:
            parts.append(f'<div class="fn-notice">{esc(a.notice)}</div>')
        if view.stale:
            parts.append(f'<div class="fn-notice fn-notice-stale">Some passages cited here changed since; '
                         f're-ask the question for an answer from the current text.</div>')
        parts.append(citation_list_html(a.citations, i, view.stale))
    if a is not None:
        info = [esc(a.generator)] if a.generator else []
        if a.latency_ms:
            info.append(f"{a.latency_ms / 1000:.1f} s")
        parts.append(f'<div class="fn-turn-foot"><span class="fn-info">{" · ".join(info)}</span>'
                     f'{_feedback_html(i, view.feedback)}</div>')
    parts.append("</div></div>")
    return "".join(parts)


EXAMPLES = (
    "Which book is the Morgenthau quote about the objective of diplomacy from?",
    "What is JASMINE?",
    "How does the SPF proposal define defense diplomacy?",
)


def conversation_html(turns: list[TurnView], examples: tuple[str, ...] = EXAMPLES) -> str:
    """The whole chat pane."""
    if not turns:
        buttons = "".join(f'<button type="button" class="fn-example" data-example="{esc(q)}">{esc(q)}</button>'
                          for q in examples)
        return ('<div class="fn-conv fn-empty"><div class="fn-hello">'
                '<h2>Ask the documents</h2><p>Every sentence of an answer carries a numbered marker. '
                'Click it to see the exact passage, highlighted, and the document’s own footnote.</p>'
                f'<div class="fn-examples">{buttons}</div></div></div>')
    return f'<div class="fn-conv">{"".join(turn_html(t) for t in turns)}</div>'


# --- the sources panel -----------------------------------------------------------------------------


def context_window(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[str, str, str, bool, bool]:
    """(before, span, after, cut_before, cut_after): the span inside its paragraph, ~`chars` each side."""
    para_start = max(text.rfind("\n\n", 0, start), text.rfind("\f", 0, start))
    para_start = 0 if para_start < 0 else para_start + 1
    ends = [i for i in (text.find("\n\n", end), text.find("\f", end)) if i >= 0]
    para_end = min(ends) if ends else len(text)
    lo, hi = max(para_start, start - chars), min(para_end, end + chars)
    cut_before, cut_after = lo > para_start, hi < para_end
    if cut_before:  # begin at a word
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if cut_after:
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return text[lo:start].lstrip(), text[start:end], text[end:hi].rstrip(), cut_before, cut_after


def note_html(note: SourceNote) -> str:
    """One of the document's own footnotes: number, text, links, or 'missing'."""
    head = f'<span class="fn-note-n">{esc(note.number)}</span>'
    if note.missing:
        return (f'<li class="fn-note fn-note-missing">{head}<span class="fn-note-text">'
                f'Note {esc(note.number)} is missing from the source: the marker is in the text, '
                f'the note itself was lost.</span></li>')
    body = _emphasis(esc(note.text))
    links = []
    for url in note.urls:
        ok = safe_url(url)
        if ok:
            links.append(f'<a href="{esc(ok)}" target="_blank" rel="noopener noreferrer nofollow">{esc(url)}</a>')
    resolved = ""
    if note.resolved_from is not None and note.resolved_text:
        resolved = (f'<span class="fn-note-resolved">↳ repeats note {esc(note.resolved_from)}: '
                    f'{_emphasis(esc(note.resolved_text))}</span>')
    link_html = f'<span class="fn-note-links">{" ".join(links)}</span>' if links else ""
    return f'<li class="fn-note">{head}<span class="fn-note-text">{body}{resolved}{link_html}</span></li>'


def sources_placeholder_html() -> str:
    return ('<div class="fn-panel fn-panel-empty"><h3>Sources</h3>'
            '<p>Click a footnote marker in an answer to check the passage it rests on.</p></div>')


def citation_panel_html(c: Citation, turn: int, doc_text: str | None, current: bool = True) -> str:
    """The passage behind `[n]`: highlighted in its paragraph, with the document's own notes.

    `doc_text` is the document as read from disk now; when the passage changed (`current` False,
    or the text at the offsets is no longer the quote) the stored quote is shown with a warning
    instead of whatever text sits at the old offsets now.
    """
    ok = current and doc_text is not None and doc_text[c.start:c.end] == c.quote
    meta = " · ".join(citation_meta(c))
    parts = [f'<div class="fn-panel" data-turn="{turn}" data-cite="{c.marker}">',
             f'<div class="fn-panel-head"><span class="fn-cite-n">{c.marker}</span>'
             f'<div><h3 class="fn-doc-title">{esc(c.title or c.file)}</h3>'
             f'<div class="fn-cite-meta">{meta}{" · " if meta else ""}<code>{esc(c.file)}</code></div></div></div>']
    if ok:
        before, span, after, cut_b, cut_a = context_window(doc_text, c.start, c.end)
        parts.append(
            f'<blockquote class="fn-quote">{"… " if cut_b else ""}{esc(_join_lines(before))}'
            f'<mark class="fn-hit">{esc(_join_lines(span))}</mark>{esc(_join_lines(after))}{" …" if cut_a else ""}'
            f'</blockquote>')
    else:
        why = STALE_TEXT if doc_text is not None else \
            "This document is no longer in the corpus; the quote below is the text as it was cited."
        parts.append(f'<div class="fn-warning" role="alert">{esc(why)}</div>'
                     f'<blockquote class="fn-quote fn-quote-old"><mark class="fn-hit fn-old">'
                     f'{esc(_join_lines(c.quote))}</mark></blockquote>')
    if c.footnotes:
        parts.append('<h4>The document’s own footnotes in this passage</h4><ol class="fn-notes">')
        parts.extend(note_html(n) for n in c.footnotes)
        parts.append("</ol>")
    else:
        parts.append('<p class="fn-muted">This passage carries no footnote of its own.</p>')
    if ok:
        parts.append(f'<button type="button" class="fn-open-doc" data-turn="{turn}" data-cite="{c.marker}">'
                     f'Open in document ↗</button>')
    parts.append("</div>")
    return "".join(parts)


def message_panel_html(message: str) -> str:
    return f'<div class="fn-panel"><div class="fn-warning" role="alert">{esc(message)}</div></div>'


def document_html(c: Citation, doc_text: str) -> str:
    """The whole document, the cited span highlighted (the page scrolls it into view)."""
    start, end = c.start, c.end
    body = (esc(doc_text[:start]) + f'<mark class="fn-hit" id="fn-doc-hit">{esc(doc_text[start:end])}</mark>'
            + esc(doc_text[end:]))
    body = body.replace("\f", '<hr class="fn-page-break">')
    meta = " · ".join(citation_meta(c))
    return (f'<div class="fn-docview"><div class="fn-docview-head"><div><h3 class="fn-doc-title">'
            f'{esc(c.title or c.file)}</h3><div class="fn-cite-meta"><code>{esc(c.file)}</code>'
            f'{" · " if meta else ""}{meta} · characters {start}–{end}</div></div>'
            f'<button type="button" class="fn-close-doc" aria-label="Close the document">✕</button></div>'
            f'<div class="fn-doc-text">{body}</div></div>')


# --- the library -----------------------------------------------------------------------------------


def library_html(rows: list[dict]) -> str:
    """Every document: title, date, passages, footnotes, last ingested, status."""
    if not rows:
        return '<div class="fn-library fn-muted">No documents yet. Add some below.</div>'
    body = []
    for r in rows:
        status = r.get("status", "")
        cls = {"indexed": "ok", "failed": "bad"}.get(r.get("state", ""), "warn")
        missing = r.get("missing_notes") or []
        notes = esc(r.get("footnotes", "–"))
        if missing:
            notes += f' <span class="fn-muted" title="markers whose note is missing">({len(missing)} missing)</span>'
        body.append(
            f'<tr><td><div class="fn-lib-title">{esc(r.get("title") or r["file"])}</div>'
            f'<code class="fn-muted">{esc(r["file"])}</code></td>'
            f'<td>{esc(r.get("date") or "–")}</td><td class="num">{esc(r.get("passages", "–"))}</td>'
            f'<td class="num">{notes}</td><td>{esc(_short_time(r.get("ingested_at")))}</td>'
            f'<td><span class="fn-status fn-status-{cls}">{esc(status)}</span></td></tr>')
    return ('<div class="fn-library"><table><thead><tr><th>Document</th><th>Date</th><th>Passages</th>'
            '<th>Footnotes</th><th>Last ingested</th><th>Status</th></tr></thead><tbody>'
            + "".join(body) + "</tbody></table></div>")


def _short_time(stamp: str | None) -> str:
    if not stamp:
        return "–"
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def report_placeholder_html() -> str:
    return ('<div class="fn-report fn-report-idle fn-muted">Re-ingest reads new and changed files, drops removed '
            'ones and re-embeds only what changed. Questions keep being answered while it runs.</div>')


def report_running_html(what: str) -> str:
    return f'<div class="fn-report fn-report-idle">{esc(what)} — re-ingesting…</div>'


def report_html(report: dict) -> str:
    """What a re-ingest did: added / updated / removed / unchanged (+ failures)."""
    rows = []
    for label in ("added", "updated", "removed", "unchanged"):
        names = report.get(label) or []
        shown = "" if label == "unchanged" or not names else ": " + ", ".join(esc(n) for n in names)
        rows.append(f'<li class="fn-rep-{label}"><strong>{len(names)}</strong> {label}{shown}</li>')
    fails = "".join(f'<li class="fn-rep-failed"><strong>failed</strong> {esc(f.get("file"))}: '
                    f'{esc(f.get("reason"))}</li>' for f in report.get("failed") or [])
    secs = report.get("seconds")
    tail = f' <span class="fn-muted">({esc(report.get("embedded", 0))} passages embedded'
    tail += f" in {secs:.1f} s)</span>" if isinstance(secs, (int, float)) else ")</span>"
    return (f'<div class="fn-report fn-report-done"><h4>Re-ingest finished{tail}</h4>'
            f'<ul>{"".join(rows)}{fails}</ul></div>')


# --- export ----------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Markdown-safe text: no raw HTML reaches a Markdown viewer."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def export_markdown(title: str, turns: list[TurnView], exported_at: datetime | None = None) -> str:
    """The conversation as Markdown: `[^qN-n]` footnote references carrying document, section,
    page, quote and the source's own notes."""
    when = (exported_at or datetime.now(timezone.utc)).astimezone().strftime("%Y-%m-%d %H:%M")
    out = [f"# {_md(_join_lines(title or 'Footnotes conversation'))}", "", f"_Exported from Footnotes on {when}._", ""]
    for t in turns:
        a = t.answer
        if a is None:
            continue
        q = t.index + 1
        out += [f"## {q}. {_md(_join_lines(t.question))}", ""]
        if a.abstained:
            out += [f"> {_md(_join_lines(a.text.strip() or ABSTAIN_TEXT))}", ""]
            continue
        by_marker = {c.marker: c for c in a.citations}

        def ref(m: re.Match) -> str:
            numbers = [int(x) for x in re.findall(r"\d+", m.group(1))]
            if not all(n in by_marker for n in numbers):
                return m.group(0)
            return "".join(f"[^{q}-{n}]" for n in numbers)  # attached to the sentence, as footnotes are

        for p in _paragraphs(a.text):
            out += [MARKER_RE.sub(ref, _md(p)), ""]
        if a.notice:
            out += [f"_{_md(a.notice)}_", ""]
        if t.feedback:
            out += [f"_Feedback: {'helpful' if t.feedback > 0 else 'not helpful'}_", ""]
        for c in sorted(a.citations, key=lambda c: c.marker):
            where = [f"**{_md(c.title or c.file)}**"]
            if c.section:
                where.append(f"section “{_md(c.section)}”")
            if c.page:
                where.append(f"p. {c.page}")
            if c.date:
                where.append(_md(c.date))
            out.append(f"[^{q}-{c.marker}]: {', '.join(where)} — `{c.file}`, characters {c.start}–{c.end}.")
            out += ["", f"    > {_md(_join_lines(c.quote))}", ""]
            if c.marker in t.stale:
                out += [f"    _{STALE_TEXT}_", ""]
            for n in c.footnotes:
                if n.missing:
                    out += [f"    Source note {n.number}: missing from the source.", ""]
                    continue
                line = f"    Source note {n.number}: {_md(_join_lines(n.text))}"
                if n.resolved_from is not None and n.resolved_text:
                    line += f" (repeats note {n.resolved_from}: {_md(_join_lines(n.resolved_text))})"
                urls = [u for u in n.urls if safe_url(u)]
                if urls:
                    line += " " + " ".join(f"<{u}>" for u in urls)
                out += [line, ""]
    return "\n".join(out).rstrip() + "\n"

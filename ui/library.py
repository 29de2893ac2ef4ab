"""The library: list, upload, remove and re-ingest documents — plain functions the web app calls.

Uploads are checked (type, size, readable text) and named safely before anything lands in the
corpus folder: a name such as `../../x.md` becomes `x.md` inside the folder, and the final path is
verified to sit directly in it. Files are written to a hidden temporary name and renamed, so an
ingest running at the same time never reads half a file. Re-ingest runs in one background thread
per app (`IngestRunner`): questions keep being answered while it works, and the assistant reloads
its index when it finishes.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ingest.errors import IngestError
from ingest.loaders import SUPPORTED, load_text
from ingest.manifest import Manifest
from ingest.pipeline import IngestReport, corpus_files, file_hash, ingest
from ingest.settings import Settings

log = logging.getLogger(__name__)
MAX_NAME = 120


class LibraryError(Exception):
    """A refused upload or removal; the message says what to do."""


def safe_filename(name: str) -> str:
    """A plain file name for the corpus folder: no directories, no hidden or odd characters.

    Only the last path component survives (`../../x.md` → `x.md`, `C:\\a\\b.txt` → `b.txt`);
    anything but letters, digits, `.`, `-`, `_`, space and parentheses becomes `-`.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch if (ch.isalnum() or ch in "._- ()") else "-" for ch in base)
    base = re.sub(r"-{2,}", "-", base).strip(" .-")
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem:
        raise LibraryError(f"“{name}” has no file type; use one of {', '.join(SUPPORTED)}")
    suffix = suffix.lower()
    if f".{suffix}" not in SUPPORTED:
        raise LibraryError(f"“{name}”: unsupported file type .{suffix}; use one of {', '.join(SUPPORTED)}")
    stem = stem[: MAX_NAME - len(suffix) - 1].rstrip(" .-")
    if not stem:
        raise LibraryError(f"“{name}” is not a usable document name; rename the file")
    return f"{stem}.{suffix}"


def _inside(corpus: Path, name: str) -> Path:
    """`corpus/name`, refusing anything that would resolve outside the folder."""
    root = corpus.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise LibraryError(f"“{name}” would be written outside the corpus folder; refused")
    return target


@dataclass
class Saved:
    name: str
    replaced: bool
    original: str


def save_uploads(settings: Settings, uploads: list[str | Path], names: list[str] | None = None) -> list[Saved]:
    """Copy uploaded files into the corpus folder (new or replacing a document of the same name).

    `uploads` are paths of the uploaded temporary files; `names` the names the user gave them
    (default: the uploads' own names). All files are checked before any is written.
    """
    if not uploads:
        raise LibraryError("choose one or more files to add first")
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        raise LibraryError(f"the corpus folder {corpus} does not exist; create it or set FOOTNOTES_CORPUS_DIR")
    names = list(names) if names else [Path(u).name for u in uploads]
    limit = settings.upload_max_mb * 1024 * 1024
    planned: list[tuple[Path, Path, str]] = []
    seen: set[str] = set()
    for upload, original in zip(uploads, names):
        source = Path(upload)
        name = safe_filename(original)
        if name.lower() in seen:
            raise LibraryError(f"two uploads are both named {name}; upload one of them")
        seen.add(name.lower())
        try:
            size = source.stat().st_size
        except OSError as exc:
            raise LibraryError(f"“{original}” could not be read after upload ({exc.strerror}); try again") from exc
        if size > limit:
            raise LibraryError(f"“{original}” is {size / 1024 / 1024:.1f} MB, over the "
                               f"{settings.upload_max_mb:g} MB upload limit; split it or raise FOOTNOTES_UPLOAD_MAX_MB")
        planned.append((source, _inside(corpus, name), original))
    saved = []
    staged: list[tuple[Path, Path, str]] = []
    try:
        for source, target, original in planned:
            fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=target.suffix, dir=target.parent)
            os.close(fd)
            staged.append((Path(tmp), target, original))
            shutil.copyfile(source, tmp)
            try:  # refuse what ingest would refuse, before it replaces a good document
                load_text(Path(tmp), settings.upload_max_mb)
            except IngestError as exc:
                raise LibraryError(f"“{original}”: {exc.reason}") from exc
        for tmp, target, original in staged:
            replaced = target.exists()
            os.replace(tmp, target)
            saved.append(Saved(target.name, replaced, original))
    finally:
        for tmp, _, _ in staged:
            tmp.unlink(missing_ok=True)
    return saved


def remove_document(settings: Settings, name: str) -> str:
    """Delete a document file from the corpus folder (the next ingest drops its passages)."""
    if not name:
        raise LibraryError("choose a document to remove first")
    files = {p.name: p for p in corpus_files(settings.corpus_dir)}
    if name not in files:
        raise LibraryError(f"{name} is not a document in the corpus folder (already removed?)")
    target = _inside(settings.corpus_dir, name)
    try:
        target.unlink()
    except OSError as exc:
        raise LibraryError(f"cannot delete {name} ({exc.strerror}); check the folder's permissions") from exc
    return name


def library_rows(settings: Settings, last_report: IngestReport | None = None) -> list[dict]:
    """Every document in the folder or the index, with a status a reader can act on."""
    try:
        manifest = Manifest.load(settings)
        documents = manifest.documents
    except IngestError:
        documents = {}
    failed = {f.get("file"): f.get("reason") for f in (last_report.failed if last_report else [])}
    try:
        files = {p.name: p for p in corpus_files(settings.corpus_dir)}
    except IngestError:
        files = {}
    rows = []
    for name in sorted(set(files) | set(documents)):
        d = documents.get(name)
        row = {"file": name, "title": name, "date": None, "passages": "–", "footnotes": "–",
               "missing_notes": [], "ingested_at": None}
        if d:
            row.update(title=d.get("title") or name, date=d.get("date"), passages=len(d.get("passage_ids", [])),
                       footnotes=d.get("footnotes", 0), missing_notes=d.get("missing_notes") or [],
                       ingested_at=d.get("ingested_at"))
        if name in failed:
            row.update(state="failed", status=f"failed: {failed[name]}")
        elif name not in files:
            row.update(state="removed", status="file removed — re-ingest to drop it")
        elif d is None:
            row.update(state="new", status="not ingested yet — re-ingest")
        else:
            try:
                same = file_hash(files[name]) == d.get("sha256")
            except OSError:
                same = False
            row.update(state="indexed" if same else "changed",
                       status="indexed" if same else "changed on disk — re-ingest")
        rows.append(row)
    return rows


@dataclass
class IngestJob:
    fraction: float = 0.0
    message: str = "starting"
    report: IngestReport | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class IngestRunner:
    """At most one re-ingest at a time, in a background thread; a second request joins the first."""

    def __init__(self, settings: Settings, on_done: Callable[[IngestReport], None] | None = None):
        self.settings = settings
        self.on_done = on_done
        self._lock = threading.Lock()
        self._job: IngestJob | None = None
        self.last_report: IngestReport | None = None

    def start(self) -> IngestJob:
        with self._lock:
            if self._job is not None and not self._job.done.is_set():
                return self._job
            job = self._job = IngestJob()
        threading.Thread(target=self._run, args=(job,), name="footnotes-ingest", daemon=True).start()
        return job

    @property
    def running(self) -> bool:
        job = self._job
        return job is not None and not job.done.is_set()

    def _run(self, job: IngestJob) -> None:
        def progress(fraction: float, message: str) -> None:
            job.fraction, job.message = fraction, message

        try:
            job.report = ingest(self.settings, progress=progress)
            self.last_report = job.report
            if self.on_done is not None:
                self.on_done(job.report)
        except IngestError as exc:
            job.error = str(exc)
        except Exception as exc:  # reported to the page, logged with its traceback here
            log.exception("re-ingest failed")
            job.error = f"re-ingest failed ({exc.__class__.__name__}: {exc})"
        finally:
            job.fraction = 1.0
            job.done.set()

    def wait(self, job: IngestJob, tick: Callable[[float, str], None] | None = None, every: float = 0.2) -> IngestJob:
        """Block until `job` ends, reporting its progress every `every` seconds."""
        while not job.done.wait(every):
            if tick is not None:
                tick(job.fraction, job.message)
        return job

"""Conversations kept server-side in SQLite: listed, reopened, surviving a restart.

One row per conversation, one per turn; a turn stores the whole `Answer.to_dict()` as JSON so an
old answer can be re-rendered (and checked against the current corpus) exactly as it was given.
Feedback (thumbs up/down + comment) lives on the turn it rates. Each conversation has an owner —
the login name when the app requires one, "" otherwise — and every read is filtered by it.
A connection per call keeps the store safe to use from Gradio's worker threads.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from assistant.types import Answer, Citation, SourceNote

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    feedback INTEGER,
    comment TEXT,
    PRIMARY KEY (conversation_id, idx)
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations(owner, updated_at);
"""


class StoreError(Exception):
    """A conversation that does not exist (or belongs to someone else), or an unusable database."""


@dataclass
class Summary:
    id: str
    title: str
    updated_at: str
    turns: int


@dataclass
class Turn:
    index: int
    question: str
    answer: Answer
    created_at: str
    feedback: int | None = None
    comment: str | None = None


def _pick(cls, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def answer_from_dict(data: dict) -> Answer:
    """Inverse of `Answer.to_dict()`, tolerant of fields added or dropped since it was stored."""
    citations = []
    for c in data.get("citations") or []:
        notes = [SourceNote(**_pick(SourceNote, n)) for n in c.get("footnotes") or []]
        citations.append(Citation(**{**_pick(Citation, c), "footnotes": notes}))
    return Answer(**{**_pick(Answer, data), "citations": citations})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ConversationStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()  # serialises writers in this process; SQLite handles the rest
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the conversation store {self.path} ({exc}); "
                             f"check that the data folder is writable") from exc

    @contextmanager
    def _connect(self):
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            db.row_factory = sqlite3.Row
            with db:  # one transaction
                yield db
        finally:
            db.close()

    # --- conversations -------------------------------------------------------------------------

    def create(self, owner: str = "", title: str = "") -> str:
        cid = uuid.uuid4().hex[:16]
        now = _now()
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO conversations (id, owner, title, created_at, updated_at) VALUES (?,?,?,?,?)",
                       (cid, owner or "", _title(title), now, now))
        return cid

    def list(self, owner: str = "", limit: int = 200) -> list[Summary]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT c.id, c.title, c.updated_at, COUNT(t.idx) AS n FROM conversations c "
                "LEFT JOIN turns t ON t.conversation_id = c.id WHERE c.owner = ? "
                "GROUP BY c.id ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?", (owner or "", limit)).fetchall()
        return [Summary(r["id"], r["title"], r["updated_at"], r["n"]) for r in rows]

    def exists(self, cid: str | None, owner: str = "") -> bool:
        if not cid:
            return False
        with self._connect() as db:
            return db.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?",
                              (cid, owner or "")).fetchone() is not None

    def title(self, cid: str, owner: str = "") -> str:
        with self._connect() as db:
            row = db.execute("SELECT title FROM conversations WHERE id = ? AND owner = ?",
                             (cid, owner or "")).fetchone()
        if row is None:
            raise StoreError("this conversation no longer exists; start a new one")
        return row["title"]

    def delete(self, cid: str, owner: str = "") -> None:
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (cid, owner or ""))

    # --- turns ---------------------------------------------------------------------------------

    def turns(self, cid: str, owner: str = "") -> list[Turn]:
        if not self.exists(cid, owner):
            raise StoreError("this conversation no longer exists; start a new one")
        with self._connect() as db:
            rows = db.execute("SELECT * FROM turns WHERE conversation_id = ? ORDER BY idx", (cid,)).fetchall()
        out = []
        for r in rows:
            try:
                answer = answer_from_dict(json.loads(r["answer_json"]))
            except (ValueError, TypeError) as exc:  # a damaged row must not hide the rest
                answer = Answer(question=r["question"], text=f"(this stored answer is unreadable: {exc})",
                                abstained=True)
            out.append(Turn(r["idx"], r["question"], answer, r["created_at"], r["feedback"], r["comment"]))
        return out

    def add_turn(self, cid: str, answer: Answer, owner: str = "", question: str | None = None) -> int:
        """Append a turn; returns its index. The first question names the conversation."""
        question = answer.question if question is None else question
        with self._lock, self._connect() as db:
            row = db.execute("SELECT title FROM conversations WHERE id = ? AND owner = ?",
                             (cid, owner or "")).fetchone()
            if row is None:
                raise StoreError("this conversation no longer exists; start a new one")
            idx = db.execute("SELECT COALESCE(MAX(idx) + 1, 0) FROM turns WHERE conversation_id = ?",
                             (cid,)).fetchone()[0]
            db.execute("INSERT INTO turns (conversation_id, idx, question, answer_json, created_at) VALUES (?,?,?,?,?)",
                       (cid, idx, question, _json(answer.to_dict()), _now()))
            title = row["title"] if row["title"] else _title(question)
            db.execute("UPDATE conversations SET updated_at = ?, title = ? WHERE id = ?", (_now(), title, cid))
        return idx

    def set_feedback(self, cid: str, idx: int, value: int | None, comment: str | None = None,
                     owner: str = "") -> None:
        """Thumbs up (+1) / down (-1) / cleared (None); a comment replaces the previous one when given."""
        if value not in (1, -1, None):
            raise StoreError("feedback is +1, -1 or nothing")
        with self._lock, self._connect() as db:
            ok = db.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?", (cid, owner or "")).fetchone()
            if ok is None:
                raise StoreError("this conversation no longer exists; start a new one")
            if comment is None:
                cur = db.execute("UPDATE turns SET feedback = ? WHERE conversation_id = ? AND idx = ?",
                                 (value, cid, idx))
            else:
                cur = db.execute("UPDATE turns SET feedback = ?, comment = ? WHERE conversation_id = ? AND idx = ?",
                                 (value, comment.strip() or None, cid, idx))
            if cur.rowcount == 0:
                raise StoreError("that answer is not in this conversation")

    def feedback(self, cid: str, idx: int) -> tuple[int | None, str | None]:
        with self._connect() as db:
            row = db.execute("SELECT feedback, comment FROM turns WHERE conversation_id = ? AND idx = ?",
                             (cid, idx)).fetchone()
        return (row["feedback"], row["comment"]) if row else (None, None)


def _json(data: dict) -> str:
    """JSON of an answer; numpy scalars (scores) become plain numbers."""
    return json.dumps(data, ensure_ascii=False, default=lambda o: o.item() if hasattr(o, "item") else str(o))


def _title(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= 80 else text[:79].rstrip() + "…"

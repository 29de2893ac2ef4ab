"""The in-memory view of what is ingested: passages, notes, document metadata, keyword indexes.

Built from the store, restricted to the ids the manifest lists (so a half-finished ingest is never
visible), and rebuilt when the manifest file changes. Dense search goes to Chroma; keyword search
(BM25, `bm25s`) runs here over passages, notes and document metadata.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass, field
from functools import cached_property

import bm25s
import numpy as np

from assistant.spelling import Speller, english_words
from assistant.text import MONTHS, fold, plain, tokens
from ingest.document import document_sentences
from ingest.embeddings import model_path
from ingest.errors import IngestError
from ingest.loaders import load_text
from ingest.manifest import Manifest
from ingest.settings import Settings
from ingest.pipeline import text_path
from ingest.sentences import split_sentences
from ingest.store import Store, note_from_record, passage_from_record
from ingest.types import Marker, Note, Passage


@dataclass
class DocInfo:
    file: str
    title: str
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    date: str | None = None
    missing_notes: set[int] = field(default_factory=set)


_ACRONYM = re.compile(r"\(\s*(?:the\s+)?([A-Z][A-Za-z]{1,6}?)s?\s*\)")


def _defined_acronyms(text: str) -> dict[str, str]:
    """Acronyms a document defines, "Experts’ Working Groups (EWGs)" → {"EWG": …, "EWGs": …}: the
    shortest run of words before the parenthesis whose capitalised initials spell it."""
    out: dict[str, str] = {}
    for m in _ACRONYM.finditer(text):
        short = m.group(1)
        letters = [c.lower() for c in short if c.isupper()]
        if len(letters) < 2:
            continue
        words = re.findall(r"[\w’'-]+", text[max(0, m.start() - 200):m.start()])[-(2 * len(letters) + 2):]
        for size in range(1, len(words) + 1):
            run = words[-size:]
            initials = [w[0].lower() for part in run for w in part.split("-") if w and w[0].isupper()]
            if initials == letters and run[0][0].isupper():
                out.setdefault(short, " ".join(run))
                out.setdefault(short + "s", " ".join(run))
                break
    return out


PROPER_SHARE = 0.9
COMPOUND_HEAD_MAX_DF = 3  # a compound's head this rare is a topic word ("cyber"), not a common one ("south" in "southeast")
COMPOUND_PART = 4  # letters each part of a closed compound has at least


class _Keyword:
    """BM25 over a list of texts; scores for every item, so they can be fused."""

    def __init__(self, texts: list[str]):
        self.size = len(texts)
        self.model = bm25s.BM25(k1=1.2, b=0.75)
        corpus = [tokens(t) or ["_empty_"] for t in texts]
        if corpus:
            self.model.index(corpus, show_progress=False)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        if not self.size or not query_tokens:
            return np.zeros(self.size)
        return np.asarray(self.model.get_scores(query_tokens), dtype=float)


class CorpusIndex:
    def __init__(self, settings: Settings, store: Store | None = None):
        self.settings = settings
        self.store = store or Store(settings)
        self.manifest = Manifest.load(settings)
        self.version = self._manifest_stamp()
        live = sorted(self.manifest.live_ids())
        self.passages: list[Passage] = []
        self.notes: dict[tuple[str, int], Note] = {}
        self.note_ids: dict[str, tuple[str, int]] = {}
        self.note_carriers: dict[tuple[str, int], list[str]] = {}
        for rid, text, meta in self.store.get(live) if live else []:
            if meta.get("kind") == "note":
                key = (meta["doc_id"], meta["number"])
                self.notes[key] = note_from_record(text, meta)
                self.note_ids[rid] = key
                self.note_carriers[key] = json.loads(meta["passages"])
            else:
                self.passages.append(passage_from_record(rid, text, meta))
        self.passages.sort(key=lambda p: (p.doc_id, p.start))
        self.position = {p.id: i for i, p in enumerate(self.passages)}
        self.docs = {
            name: DocInfo(name, d["title"], list(d.get("authors") or []), d.get("publisher"), d.get("date"),
                          set(d.get("missing_notes", [])))
            for name, d in self.manifest.documents.items()
        }
        self._texts: dict[str, str] = {}
        self._layouts: dict[str, tuple] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._vector_locks: dict[str, threading.Lock] = {}
        self._spellings: dict[str, dict[str, str]] = {}
        self.note_keys = sorted(self.notes)
        stored = self.store.vectors(sorted(self.note_ids)) if self.note_ids else {}
        self.note_vectors = {self.note_ids[rid]: np.asarray(v, dtype=np.float32) for rid, v in stored.items()}
        search_texts = [self.search_text(p) for p in self.passages]
        self.passage_kw = _Keyword(search_texts)
        self.note_kw = _Keyword([self.notes[k].text for k in self.note_keys])
        self.passage_terms = [set(tokens(t)) for t in search_texts]
        self.df: dict[str, int] = {}
        for terms in self.passage_terms:
            for t in terms:
                self.df[t] = self.df.get(t, 0) + 1
        self.doc_terms = {name: set(tokens(self._doc_names_text(d))) for name, d in self.docs.items()}
        self.vocabulary = set(self.df) | {t for note in self.notes.values() for t in tokens(note.text)} | {
            t for d in self.docs.values() for t in tokens(f"{d.title} {self._doc_names_text(d)}")}
        self.compounds = self._compounds()
        self.contributors = self._contributors()
        self.headings = {heading for p in self.passages for heading in p.section}  # and a contents list repeats them

    def _compounds(self) -> dict[str, str]:
        """Closed compounds of a rare word, with that word: cybersecurity → cyber. A reader asks about
        "cyber" threats where the document writes "cybersecurity", and no stemmer splits it."""
        out = {}
        for word in filter(str.isalpha, self.df):
            for i in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1):
                head, rest = word[:i], word[i:]
                if 0 < self.df.get(head, 0) <= COMPOUND_HEAD_MAX_DF and rest in self.vocabulary:
                    out[word] = head
                    break
        return out

    def with_compounds(self, query_tokens: list[str]) -> list[str]:
        """Search tokens plus the closed compounds each one heads ("cyber" → "cybersecurity")."""
        asked = set(query_tokens)
        return query_tokens + [word for word, head in self.compounds.items() if head in asked]

    def compound_heads(self, terms: set[str]) -> set[str]:
        """The heads of the closed compounds among `terms`: a sentence saying "cybersecurity" says "cyber"."""
        return {self.compounds[t] for t in terms if t in self.compounds}

    def _contributors(self) -> dict[str, list[int]]:
        """Authors of single sections (an edited report's contributors, from their closing author
        line) → their passages: each section's lead first (a proposal states its recommendation
        there), then its close (the conclusion, right above the author's signature), then the rest."""
        out: dict[str, list[int]] = {}
        for i, p in enumerate(self.passages):
            doc = self.docs.get(p.doc_id)
            if p.author and doc and p.author != ", ".join(doc.authors):
                out.setdefault(p.author, []).append(i)
        for positions in out.values():
            positions.sort(key=lambda i: (self._same_section(i, i - 1), self._same_section(i, i + 1), i))
        return out

    def _same_section(self, i: int, j: int) -> bool:
        """Passage `j` stands in the same section as passage `i` (False past either end)."""
        if not 0 <= j < len(self.passages):
            return False
        a, b = self.passages[i], self.passages[j]
        return a.doc_id == b.doc_id and a.section == b.section

    def _manifest_stamp(self) -> float:
        try:
            return self.manifest.path.stat().st_mtime_ns
        except OSError:
            return 0

    def is_stale(self) -> bool:
        path = Manifest.path_for(self.settings)
        try:
            return path.stat().st_mtime_ns != self.version
        except OSError:
            return self.version != 0

    def search_text(self, p: Passage) -> str:
        return f"{' '.join(p.section)} {p.author or ''} {p.text}"

    def spelt_out(self, file: str, text: str) -> str:
        """The long forms of the acronyms `text` uses, as one string: as `file` defines them, or as another
        document does when `file` takes the reader's knowledge for granted (the 2025 newsletter's "the EWG on
        Maritime Security" is the Shoji paper's "Experts' Working Group") and no two documents disagree."""
        found = self._spellings.get(file)
        if found is None:  # merged once per document: this runs for every candidate sentence of every question
            found = self._spellings[file] = self.unambiguous_acronyms | self.acronyms.get(file, {})
        return " ".join(found[a] for a in dict.fromkeys(re.findall(r"\b[A-Z][A-Za-z]{1,7}\b", text)) if a in found)

    def spell_out_question(self, question: str) -> str:
        """The question with each acronym some document defines followed by its long form: "the AOIP and
        FOIP" → "the AOIP (ASEAN Outlook on the Indo-Pacific) and FOIP (Free and Open Indo-Pacific)", so
        passages that spell it out, as most do, match."""
        done: set[str] = set()

        def expand(m: re.Match) -> str:
            short = m.group(0)
            long = self.unambiguous_acronyms.get(short)
            if long is None or short in done or fold(long) in fold(question):
                return short
            done.add(short)
            return f"{short} ({long})"
        question = re.sub(r"(?<![\w-])[A-Z]{2,7}s?(?![\w-])", expand, question)  # not "ADMM" in "ADMM-Plus"
        return self.name_acronyms(question)

    def name_acronyms(self, question: str) -> str:
        """The question with each long form a reader spells out followed by its acronym: "when did the
        ASEAN defence ministers' meeting get going?" → "… meeting (ADMM) …", as the passage saying "The
        ADMM, which was launched in 2006" has it. Words match as search terms do (defence/defense), one
        for one, so "the Japan-ASEAN Defense Ministers' Meeting" — another meeting — is not it."""
        words = question.split()
        stems = [tokens(w) for w in words]
        after: dict[int, str] = {}
        for short, long in self.unambiguous_acronyms.items():
            wanted = [t for t in (tokens(w) for w in long.split()) if t]
            if len(wanted) < 2 or short.endswith("s") and short[:-1] in self.unambiguous_acronyms or short in question:
                continue
            content = [i for i, t in enumerate(stems) if t]
            for k in range(len(content) - len(wanted) + 1):
                run = content[k:k + len(wanted)]
                if all(stems[i] == t for i, t in zip(run, wanted)) and run[-1] - run[0] < 2 * len(wanted):
                    after[run[-1]] = short
                    break
        if not after:
            return question
        def named(i: int, word: str) -> str:
            bare = word.rstrip("?.,;:!")
            return f"{bare} ({after[i]}){word[len(bare):]}" if i in after else word
        return " ".join(named(i, w) for i, w in enumerate(words))

    @cached_property
    def plain_texts(self) -> list[str]:
        """Each passage as `text.plain` words, for finding a phrase a reader quotes; made on first use."""
        return [plain(p.text) for p in self.passages]

    @cached_property
    def unambiguous_acronyms(self) -> dict[str, str]:
        """Acronym → long form, over all documents; one two documents define differently ("NSS": a
        strategy, a secretariat) is left out."""
        meanings: dict[str, dict[str, str]] = {}
        for found in self.acronyms.values():
            for short, long in found.items():
                meanings.setdefault(short, {})[fold(long)] = long
        return {short: next(iter(longs.values())) for short, longs in meanings.items() if len(longs) == 1}

    @cached_property
    def acronyms(self) -> dict[str, dict[str, str]]:
        """Each document's own acronym definitions, read from its text on first use (not at every
        index load: `warm()` reads them with the sentences)."""
        out = {}
        for name in self.docs:
            try:
                out[name] = _defined_acronyms(self.doc_text(name))
            except (IngestError, OSError):  # a document whose text is gone defines nothing
                continue
        return out

    @cached_property
    def proper_names(self) -> frozenset[str]:
        """Tokens the passages write capitalised inside a sentence nearly every time ("Myanmar",
        "Prabowo", not "Defense"), so a question typed in lower case still names them."""
        upper: dict[str, int] = {}
        seen: dict[str, int] = {}
        for p in self.passages:
            for m in re.finditer(r"(?<![.?!:]\s)(?<!^)\b([A-Za-z][a-z]+)\b", p.text):
                for t in tokens(m.group(1)):
                    seen[t] = seen.get(t, 0) + 1
                    upper[t] = upper.get(t, 0) + m.group(1)[0].isupper()
        return frozenset(t for t, n in seen.items() if n >= 2 and upper[t] >= PROPER_SHARE * n
                         and not re.fullmatch(MONTHS, t, re.IGNORECASE))  # "June" names a time, not a thing

    def passage_df(self, token: str) -> int:
        """In how many passages a search token occurs."""
        return self.df.get(token, 0)

    def unknown_names(self, question: str) -> list[str]:
        """Names the question uses that no passage, note or document record contains ("the G20 in
        Osaka"): the corpus cannot say anything about them, however close its other words come."""
        names = re.findall(r"(?<![.?!]\s)(?<!^)\b[A-Z][\w-]*\b|\b[A-Z]{2,}\w*\b", question.strip())
        return [n for n in dict.fromkeys(names)
                if tokens(n) and not set(tokens(n)) & self.vocabulary and not self._known_acronym(n)]

    @cached_property
    def speller(self) -> Speller:
        """Repairs misspelt question words against the words of the passages, notes and records."""
        texts = [p.text for p in self.passages] + [n.text for n in self.notes.values()] + [
            f"{d.title} {self._doc_names_text(d)}" for d in self.docs.values()]
        words = {w for t in texts for w in re.findall(r"[a-z]+", fold(t))}
        return Speller(words, english_words(model_path(self.settings.embedding_model)))

    def _known_acronym(self, name: str) -> bool:
        """An acronym the corpus spells otherwise: inside a longer one ("MSDF" in "JMSDF"), or as the
        initials of a run of capitalised words ("Maritime Self-Defense Force")."""
        if not re.fullmatch(r"[A-Z]{2,6}s?", name):
            return False
        short = name.rstrip("s").lower()
        return short in self.initials or any(short in t for t in self.vocabulary if len(t) <= 8)

    @cached_property
    def initials(self) -> set[str]:
        """Initials of every run of two to six capitalised words (hyphenated parts counted) in the corpus."""
        found: set[str] = set()
        for text in [p.text for p in self.passages] + [n.text for n in self.notes.values()]:
            for run in re.findall(r"(?:\b[A-Z][\w’'-]*(?:\s+(?:of|for|and|the|on)\s+|\s+|-)?){2,8}", text):
                words = [w for w in re.split(r"[\s-]+", run) if w and w[0].isupper()]
                for size in range(2, 7):
                    for i in range(len(words) - size + 1):
                        found.add("".join(w[0] for w in words[i:i + size]).lower())
        return found

    def named_documents(self, query_tokens: list[str]) -> set[str]:
        """Documents the question names by a word only their metadata has ("Sasakawa", "Shoji", "NIDS")."""
        named = set()
        for token in set(query_tokens):
            owners = [name for name, terms in self.doc_terms.items() if token in terms]
            if len(owners) == 1:
                named.add(owners[0])
        return named

    @staticmethod
    def _doc_names_text(d: DocInfo) -> str:
        """How readers name a document: its authors, its publisher, its file name — not its topic words."""
        return " ".join([" ".join(d.authors), d.publisher or "", d.file.rsplit(".", 1)[0].replace("-", " ")])

    # --- lookups ---------------------------------------------------------------------------
    def note(self, doc_id: str, number: int) -> Note | None:
        return self.notes.get((doc_id, number))

    def neighbour(self, passage: Passage, step: int) -> Passage | None:
        i = self.position.get(passage.id)
        if i is None:
            return None
        j = i + step
        if 0 <= j < len(self.passages) and self.passages[j].doc_id == passage.doc_id:
            return self.passages[j]
        return None

    # --- the ingested text, sentences and markers of a document ---------------------------
    def doc_text(self, file: str) -> str:
        """The text `file` was ingested from: every citation offset indexes this string."""
        cached = self._texts.get(file)
        if cached is None:
            entry = self.manifest.documents.get(file)
            if entry is None:
                raise IngestError(file, "not in the index; upload it and re-ingest")
            path = text_path(self.settings, entry["sha256"])
            if path.exists():
                cached = path.read_text(encoding="utf-8")
            else:  # ingested before texts were kept: the corpus file, if unchanged
                cached = load_text(self.settings.corpus_dir / file, self.settings.max_file_mb)
            self._texts[file] = cached
        return cached

    def _layout(self, file: str):
        layout = self._layouts.get(file)
        if layout is None:
            sentences, markers = document_sentences(self.doc_text(file))
            layout = self._layouts[file] = (sentences, markers, [s for s, _, _ in sentences])
        return layout

    def sentences(self, passage: Passage) -> list[tuple[int, int, int, str]]:
        """The sentences of a passage as (number in document, start, end, repaired text)."""
        sentences, _, starts = self._layout(passage.doc_id)
        i = bisect.bisect_left(starts, passage.start)
        out = []
        while i < len(sentences) and sentences[i][1] <= passage.end:
            out.append((i, *sentences[i]))
            i += 1
        return out

    def sentences_in(self, file: str):
        """Every sentence of `file` once, in order, with the first passage holding it:
        (passage, number in document, start, end, repaired text). Passages overlap, so a sentence
        read passage by passage would come twice."""
        seen: set[int] = set()
        for p in self.passages:
            if p.doc_id == file:
                for number, start, end, text in self.sentences(p):
                    if number not in seen:
                        seen.add(number)
                        yield p, number, start, end, text

    def sentences_before(self, file: str, number: int, count: int) -> list[str]:
        """The texts of the `count` sentences before sentence `number` of `file`, in reading order."""
        return [text for _, _, text in self._layout(file)[0][max(0, number - count):number]]

    def sentence_after(self, passage: Passage) -> tuple[int, int, int, str] | None:
        """The first sentence after a passage, if the document goes on."""
        sentences, _, starts = self._layout(passage.doc_id)
        i = bisect.bisect_left(starts, passage.end)
        return (i, *sentences[i]) if i < len(sentences) else None

    def sentence_vectors(self, file: str, embed) -> np.ndarray:
        """Embeddings of every sentence of a document version, computed once and kept on disk.

        Evidence selection compares the question with single sentences; embedding them per
        question would cost most of the latency budget, so they are cached per document version
        (warm them with `Assistant.warm()`).
        """
        vectors = self._vectors.get(file)
        if vectors is not None:
            return vectors
        with self._vector_locks.setdefault(file, threading.Lock()):  # one computation per document
            return self._vectors.get(file) if file in self._vectors else self._compute_vectors(file, embed)

    def _compute_vectors(self, file: str, embed) -> np.ndarray:
        sentences = self._layout(file)[0]
        entry = self.manifest.documents[file]
        key = hashlib.sha256(f"{entry['sha256']}|{self.settings.embedding_model}".encode()).hexdigest()[:24]
        path = self.settings.data_path / "vectors" / f"{key}.npy"
        vectors = np.load(path) if path.exists() else None
        if vectors is None or len(vectors) != len(sentences):
            vectors = np.asarray(embed([t for _, _, t in sentences]), dtype=np.float32)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.npy")
            np.save(tmp, vectors)
            os.replace(tmp, path)  # another process may write the same vectors: last one wins
        self._vectors[file] = vectors
        return vectors

    def note_sentences(self, file: str, number: int) -> list[tuple[int, int, str]]:
        """A footnote's sentences as (start, end, text) in the document's text; the whole note when a
        sentence cannot be located exactly (a note wrapped across lines in PDF text)."""
        note = self.note(file, number)
        if note is None:
            return []
        raw = self.doc_text(file)
        out = []
        for s, e in split_sentences(note.text):
            piece = note.text[s:e]
            at = raw.find(piece, note.start, note.end)
            if at < 0:
                return [(note.start, note.end, note.text)]
            out.append((at, at + len(piece), piece))
        return out

    def markers_in(self, file: str, start: int, end: int) -> list[Marker]:
        return [m for m in self._layout(file)[1] if start <= m.start < end]

    def passage(self, pid: str) -> Passage | None:
        i = self.position.get(pid)
        return self.passages[i] if i is not None else None


class IndexHolder:
    """Keeps one CorpusIndex per process and swaps in a new one after a re-ingest."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._index: CorpusIndex | None = None
        self._store: Store | None = None
        self._lock = threading.Lock()

    def get(self) -> CorpusIndex:
        with self._lock:
            if self._index is None or self._index.is_stale():
                if self._store is None or self._index is not None:
                    # A new client each time the manifest changed: an embedded Chroma client keeps
                    # its own view of the files and would miss what another process (the CLI) wrote.
                    self._store = Store(self.settings, fresh=self._index is not None)
                self._index = CorpusIndex(self.settings, self._store)
                if not self._index.passages:
                    raise IngestError(str(self.settings.corpus_dir), "nothing is ingested yet; run `footnotes ingest`")
            return self._index

    def reset(self) -> None:
        with self._lock:
            self._index = None

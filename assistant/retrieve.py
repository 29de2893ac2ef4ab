"""Hybrid retrieval: dense (Chroma) + keyword (BM25) over passages and footnotes, fused by rank.

- Footnotes are searched in their own right; a note that matches lifts the passages carrying its
  marker, so "what source backs the claim that …" reaches both the claim and the note.
- Document metadata (title, authors, publisher, date) is searched too, so "the Sasakawa report" or
  "Shoji's paper" favours that document.
- Adjacent hits of one document are joined into one unit (an answer often spans them), and a
  mild per-document decay keeps room for other documents when a question compares them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.index import CorpusIndex
from assistant.question import FOLLOW_THROUGH_Q, Part, question_heads, quoted_phrases
from assistant.text import INTRODUCES, distinguishing_ordinals, fold, tokens
from ingest.sentences import split_sentences
from ingest.types import Note, Passage

# "How does X define Y?" and the sentences that answer it; evidence selection uses the same two.
DEFINITION_Q = re.compile(r"\bdefin|\bwhat (?:is|are) (?:meant|the meaning)\b|\bmean by\b", re.I)
DEFINES = re.compile(r"\b(?:is|are) defined as\b|\brefers? to\b|\bis understood as\b|\bmeans\b|\bentails?\b|\bdenotes?\b|"
                     r"\bconsists? of\b|\bcompris(?:es|e)\b|\b(?:is|are) made up of\b", re.I)
RRF_K = 20  # small corpus: a flatter constant would let weak ranks count as much as strong ones
DENSE_POOL = 60
NOTE_POOL = 5
NAMED_BOOST = 1.6  # for passages of a document the question names
HOP_TERMS = 6  # bridge words taken from each of the top passages
HOP_MAX_DF = 3  # a bridge word is rare: in at most this many passages
HOP_WEIGHT = 0.5
CONTRIBUTOR_RANK = 0.97  # a contributor's section ranks just below the passage that named them
HOP_SECTION = 2  # passages of a contributor's section the second hop lifts: its lead, then its close
HEAD_MAX_DF = 6  # a question's head noun in at most this many passages is rare enough to single them out
LIST_ITEM_WORDS = 30  # as `companions.list_items`: a longer line is prose, not an item
FOLLOW_LEADS = 3  # passages where the sentence telling of the proposal is looked for
PART_WEIGHT = 0.5  # each part of a multi-part question, beside the whole question
PART_KEEP, PART_TIE = 2, 0.95  # a part keeps its best passage, and the next one when the two all but tie


@dataclass
class Hit:
    passages: list[Passage]
    score: float
    matched_notes: list[int] = field(default_factory=list)  # notes of this unit that matched the query

    @property
    def doc_id(self) -> str:
        return self.passages[0].doc_id

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.passages]


def _rrf(rank: int) -> float:
    return 1.0 / (RRF_K + rank + 1)


def _ranked(scores: np.ndarray, limit: int = 50) -> list[int]:
    order = np.argsort(-scores)[:limit]
    return [int(i) for i in order if scores[i] > 0]


def retrieve(index: CorpusIndex, query: str, query_vector: list[float], k: int,
             steer: dict[str, float] | None = None, parts: list[Part] = ()) -> list[Hit]:
    """The `k` best units for `query`; `steer` adds weight to passages (e.g. cited earlier in the chat).

    `parts` are the questions inside a multi-part question, each with its vector: each is searched
    on its own, adds to the ranking, and its best passage is kept among the `k` units — otherwise
    the part with the rarer words takes every slot.
    """
    fused, note_match = _scores(index, query, query_vector)
    must = _second_hop(index, tokens(query), fused)  # a contributor's section is kept among the k
    for p in parts:
        part, part_notes = _scores(index, p.text, p.vector)
        fused += PART_WEIGHT * part
        for pid, numbers in part_notes.items():
            merged = note_match.setdefault(pid, [])
            merged += [n for n in numbers if n not in merged]
        top = [int(i) for i in np.argsort(-part)[:PART_KEEP] if part[i] > 0]
        must += [i for i in top if part[i] >= PART_TIE * part[top[0]]]
    must += _naming_head(index, query, fused)
    must += _follow_through(index, query, fused)
    for pid, weight in (steer or {}).items():
        if pid in index.position:
            fused[index.position[pid]] += weight
    return _select(index, fused, note_match, k, must)


def _scores(index: CorpusIndex, query: str, query_vector: list[float]) -> tuple[np.ndarray, dict[str, list[int]]]:
    """Fused rank scores of every passage for one query, and the notes that lifted each passage."""
    q_tokens = index.with_compounds(tokens(query))
    fused = np.zeros(len(index.passages))
    note_match: dict[str, list[int]] = {}

    dense_passages, dense_notes = [], []
    for rid, sim in index.store.query(query_vector, DENSE_POOL):
        if rid in index.position:
            dense_passages.append((index.position[rid], sim))
        elif rid in index.note_ids:
            dense_notes.append((index.note_ids[rid], sim))
    for rank, (i, _) in enumerate(dense_passages):
        fused[i] += _rrf(rank)
    for rank, i in enumerate(_ranked(index.passage_kw.scores(q_tokens))):
        fused[i] += _rrf(rank)

    note_scores: dict[tuple[str, int], float] = {}
    for rank, (key, _) in enumerate(dense_notes[:NOTE_POOL]):
        note_scores[key] = note_scores.get(key, 0) + _rrf(rank)
    for rank, j in enumerate(_ranked(index.note_kw.scores(q_tokens), NOTE_POOL)):
        key = index.note_keys[j]
        note_scores[key] = note_scores.get(key, 0) + _rrf(rank)
    for key, score in note_scores.items():
        for pid in index.note_carriers.get(key, []):
            if pid in index.position:
                fused[index.position[pid]] += 0.5 * score
                note_match.setdefault(pid, []).append(key[1])

    named = index.named_documents(q_tokens)
    if named:  # "the Sasakawa report …", "Shoji's paper": favour that document
        for i, p in enumerate(index.passages):
            if p.doc_id in named:
                fused[i] *= NAMED_BOOST
    # "the fifth meeting": an answer must say which, so passages that do come first
    asked = distinguishing_ordinals(query)
    if asked:
        for i, p in enumerate(index.passages):
            if fused[i] > 0 and all(o.search(fold(p.text)) for o in asked):
                fused[i] *= NAMED_BOOST
    quoted = quoted_phrases(query)
    if quoted:  # "a keynote line saying the 'key players in guarding the order'": the passage holding it leads
        top = float(fused.max())
        for i, text in enumerate(index.plain_texts):
            if any(q in text for q in quoted):
                fused[i] += top
    if DEFINITION_Q.search(query):  # "how does X define Y": passages that define something
        for i, p in enumerate(index.passages):
            if fused[i] > 0 and DEFINES.search(p.text):
                fused[i] *= NAMED_BOOST
    return fused, note_match


def _naming_head(index: CorpusIndex, query: str, fused: np.ndarray) -> list[int]:
    """"What … seminar did Tokyo propose at the Nov 2023 meeting?": the best passage naming the rare noun
    the question asks about is kept among the k units, however many of the question's other words
    (the meeting, the date) other passages share."""
    heads = {t for t in question_heads(query) if 0 < index.passage_df(t) <= HEAD_MAX_DF}
    naming = [i for i, terms in enumerate(index.passage_terms) if heads & terms and fused[i] > 0]
    return [max(naming, key=lambda i: fused[i])] if naming else []


def _follow_through(index: CorpusIndex, query: str, fused: np.ndarray) -> list[int]:
    """"Abe floated a defense ministers' meeting in 2013 — when did it actually happen?": a proposal is told
    where it was made, what came of it later in the same document, often in other words (a "roundtable"
    the government "succeeded in holding"). The passage after the proposal's that best repeats the
    proposal's sentence is kept among the k units."""
    if not FOLLOW_THROUGH_Q.search(query):
        return []
    asked = set(tokens(query))
    top = [int(i) for i in np.argsort(-fused)[:FOLLOW_LEADS] if fused[i] > 0]
    if not top:
        return []
    best = {i: _best_sentence(index.passages[i].text, asked) for i in top}
    lead = max(top, key=lambda i: len(asked & set(tokens(best[i]))))  # the passage telling of the proposal
    proposal = best[lead]
    scores = index.passage_kw.scores(index.with_compounds(tokens(proposal)))
    doc = index.passages[lead].doc_id
    later = [i for i in range(lead + 2, len(index.passages))  # the next passage overlaps the proposal's
             if index.passages[i].doc_id == doc and scores[i] > 0]
    return [max(later, key=lambda i: scores[i])] if later else []


def _second_hop(index: CorpusIndex, q_tokens: list[str], fused: np.ndarray) -> list[int]:
    """Multi-hop questions: the best passage names what the rest of the answer is about.

    ("Abe proposed a defense ministers' meeting … when did it happen?" → the top passage calls it a
    "roundtable meeting"; the passage with the date uses that word, not the question's.) Rare words
    of the best-matching sentence of the top passages become a second keyword query. A section
    author that sentence names (an edited report's contributor) lifts their own section, whose lead
    (the recommendation) and close (the conclusion) are returned for the caller to keep among the
    k units.
    """
    query = set(q_tokens)
    bridge: list[str] = []
    contributors: list[str] = []
    for i in [int(i) for i in np.argsort(-fused)[:2] if fused[i] > 0]:
        best = _best_sentence(index.passages[i].text, query)
        words = set(tokens(best))
        rare = [t for t in dict.fromkeys(tokens(best)) if t not in query and index.passage_df(t) <= HOP_MAX_DF]
        bridge.extend(rare[:HOP_TERMS])
        # "who from the Canon Institute contributed … and what did they recommend?": the sentence
        # names a contributor the question does not; their own section holds the rest of the answer
        contributors += [a for a in index.contributors if set(tokens(a)) <= words and not set(tokens(a)) <= query]
    for rank, i in enumerate(_ranked(index.passage_kw.scores(q_tokens + bridge), 10) if bridge else []):
        fused[i] += HOP_WEIGHT * _rrf(rank)
    top = float(fused.max()) if len(fused) else 0.0
    kept = []
    for author in dict.fromkeys(contributors):  # their section ranks right after the passage naming them
        for rank, i in enumerate(index.contributors[author][:HOP_SECTION]):
            fused[i] = max(fused[i], top * CONTRIBUTOR_RANK ** (rank + 1))
            kept.append(i)
    return kept


def _best_sentence(text: str, asked: set[str]) -> str:
    """The sentence (or list line) of a passage sharing most words with the question; the first of a tie."""
    return max(split_sentences_text(text), key=lambda t: len(asked & set(tokens(t))), default="")


def split_sentences_text(text: str) -> list[str]:
    """Sentences, and lines of lists (author lists, bullet points) as units of their own."""
    return [line for s, e in split_sentences(text) for line in text[s:e].split("\n") if line.strip()]


def _select(index: CorpusIndex, fused: np.ndarray, note_match: dict[str, list[int]], k: int,
            must: list[int] = ()) -> list[Hit]:
    """Pick `k` units: join adjacent hits of one document; decay repeated documents a little.
    Passages in `must` (each part's best) are taken first after the overall best."""
    order = [int(i) for i in np.argsort(-fused) if fused[i] > 0][: 4 * k]
    chosen: list[Hit] = []
    taken: set[int] = set()
    per_doc: dict[str, int] = {}
    remaining = list(dict.fromkeys(order + list(must)))
    first = list(dict.fromkeys(order[:1] + list(must)))[:k]
    while remaining and len(chosen) < k:
        pending = [i for i in first if i in remaining]
        best = pending[0] if pending else max(
            remaining, key=lambda i: fused[i] * (0.7 ** per_doc.get(index.passages[i].doc_id, 0)))
        remaining.remove(best)
        if best in taken:
            continue
        group = [best]
        for step in (-1, 1):  # join a neighbour that is itself a strong hit
            j = best + step
            if j in remaining and index.passages[j].doc_id == index.passages[best].doc_id and fused[j] >= 0.5 * fused[best]:
                group.append(j)
                remaining.remove(j)
        group.sort()
        following = group[-1] + 1  # a list that runs past the passage's end: its other items too
        if following < len(index.passages) and following not in taken and _ends_in_a_list(index.passages[group[-1]]) \
                and index.passages[following].doc_id == index.passages[best].doc_id:
            group.append(following)
            if following in remaining:
                remaining.remove(following)
        taken.update(group)
        passages = [index.passages[i] for i in group]
        matched = sorted({n for i in group for n in note_match.get(index.passages[i].id, [])})
        chosen.append(Hit(passages, float(sum(fused[i] for i in group)), matched))
        doc = passages[0].doc_id
        per_doc[doc] = per_doc.get(doc, 0) + 1
    return chosen


def _ends_in_a_list(passage: Passage) -> bool:
    """Does the passage end inside a list ("The key elements include:" and only short item lines after it)?
    The items a passage cut off are part of the answer to "what are the key elements"."""
    lines = [line for line in passage.text.split("\n") if line.strip()]
    intro = [i for i, line in enumerate(lines) if INTRODUCES.search(line)]
    return bool(intro) and intro[-1] < len(lines) - 1 and all(
        len(line.split()) <= LIST_ITEM_WORDS for line in lines[intro[-1] + 1:])


def unit_notes(index: CorpusIndex, hit: Hit) -> list[tuple[int, Note | None]]:
    """(number, note or None if missing from the source) for every marker in the unit, in order."""
    out, seen = [], set()
    for p in hit.passages:
        for n in p.markers:
            if n not in seen:
                seen.add(n)
                out.append((n, index.note(p.doc_id, n)))
    return out


def unit_text(index: CorpusIndex, hit: Hit) -> str:
    """What retrieval hands on: section, the passages' text, then the footnotes they carry."""
    first = hit.passages[0]
    lines = [" › ".join(first.section), "\n\n".join(p.text for p in hit.passages)]
    for number, note in unit_notes(index, hit):
        if note is None:
            lines.append(f"[note {number}: missing from the source]")
            continue
        lines.append(f"{number} {note.text}")
        if note.refers_to and index.note(first.doc_id, note.refers_to):
            lines.append(f"  ({number} repeats note {note.refers_to}: {index.note(first.doc_id, note.refers_to).text})")
    return "\n".join(line for line in lines if line)

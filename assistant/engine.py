"""The assistant: a question (perhaps a follow-up) in, a cited answer out — streamed or whole.

Steps: fold the conversation into the question → retrieve → select evidence (or abstain) → emit
the evidence and citations → compose (extractive, or a model constrained to the evidence ids,
each sentence checked against what it cites) → final answer. A generator that fails, times out
or produces nothing supported falls back to the extractive answer, with a notice.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from assistant.compose import abstention, build_evidence, extractive, render, required_ids
from assistant.evidence import select
from assistant.index import IndexHolder
from assistant.needs import question_needs
from assistant.question import bridge, question_parts, without_occasion
from assistant.retrieve import retrieve, unit_text
from assistant.text import numbers, tokens
from assistant.types import Answer, Sentence
from ingest.embeddings import get_embeddings
from ingest.settings import Settings

_DEICTIC = re.compile(r"\b(it|its|they|them|their|that|this|those|these|there|he|she|his|her|one|ones|same)\b", re.I)
FIGURE_NEEDS = {"date", "month", "number", "amount", "percent"}  # facts a rewrite must keep every figure of
STEER = 0.02  # weight added to passages the previous answer cited, so follow-ups stay on them


@dataclass
class Event:
    kind: str  # "evidence" | "text" | "final"
    answer: Answer | None = None
    delta: str = ""


def _embed_parts(parts, embeddings) -> None:
    """Each part's vectors, for searching it and for choosing its answer, in one encoder call."""
    vectors = iter(embeddings.embed_documents([t for p in parts for t in (p.text, p.answered)]))
    for part in parts:
        part.vector, part.answer_vector = next(vectors), next(vectors)


def _mean_direction(a: list[float], b: list[float]) -> list[float]:
    """The unit vector halfway between two embeddings: its cosine to a sentence is (nearly) the mean of theirs."""
    v = np.asarray(a, dtype=np.float32) + np.asarray(b, dtype=np.float32)
    return (v / (np.linalg.norm(v) or 1.0)).tolist()


def standalone(question: str, history: list[Answer]) -> str:
    """Fold a follow-up into a self-contained query: short or pronoun-led questions take the
    previous question with them ("who's building them?" → "…patrol vessels… who's building them?")."""
    if not history:
        return question
    content = tokens(question)
    names = re.findall(r"(?<!^)(?<![.?!] )\b[A-Z][\w-]+", question.strip())  # entities beyond the first word
    if len(content) <= 3 or (not names and (len(content) <= 6 or _DEICTIC.search(question))):
        previous = history[-1].standalone_question or history[-1].question
        return f"{previous} {question}"
    return question


class Assistant:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.index = IndexHolder(settings)
        self._generators: dict[str, object] = {}
        self._lock = threading.Lock()

    # --- public API ------------------------------------------------------------------------
    def ask(self, question: str, history: list[Answer] | None = None, generator: str | None = None,
            k: int | None = None) -> Answer:
        final = None
        for event in self.stream(question, history, generator, k):
            if event.kind == "final":
                final = event.answer
        return final

    def stream(self, question: str, history: list[Answer] | None = None, generator: str | None = None,
               k: int | None = None) -> Iterator[Event]:
        started = time.perf_counter()
        history = list(history or [])
        question = question.strip()
        index, query, hits, selection = self.find_evidence(question, history, k)
        retrieved = [{"file": h.doc_id, "text": unit_text(index, h), "score": round(h.score, 4),
                      "passage_id": h.ids[0]} for h in hits]
        name = self.resolve_generator(generator)
        if selection.abstain_reason:
            answer = abstention(question, selection.abstain_reason)
            self._finish(answer, retrieved, query, name, started)
            yield Event("evidence", answer)
            yield Event("final", answer)
            return
        evidence = build_evidence(index, selection, hits)
        baseline = render(index, question, extractive(evidence, selection), evidence)
        preview = Answer(question=question, text="", citations=baseline.citations)
        self._finish(preview, retrieved, query, name, started)
        yield Event("evidence", preview)
        if name == "extractive":
            answer = baseline
        else:
            answer = yield from self._generate(name, question, query, evidence, selection, baseline, index)
        self._finish(answer, retrieved, query, name, started)
        if name == "extractive":
            yield Event("text", delta=answer.text)
        yield Event("final", answer)

    def find_evidence(self, question: str, history: list[Answer], k: int | None = None,
                      threshold: float | None = None):
        """Retrieval and evidence selection for `question`: (index, standalone query, hits, selection).
        `threshold` overrides the abstain threshold (calibration runs with none)."""
        index = self.index.get()
        embeddings = get_embeddings(self.settings)
        question = index.speller.respell(question)
        folded = standalone(question, history)
        query = index.spell_out_question(folded)  # acronyms searched with their long form
        q_vector = embeddings.embed_query(query)
        ask_vector = q_vector  # what evidence is judged against
        if folded != question and not _DEICTIC.search(question):  # a follow-up asking about something new ("how
            # did the ministers react?"): what it asks weighs as much as the conversation; one that points back
            # ("what edition of it is cited?") means nothing on its own
            ask_vector = _mean_direction(q_vector, embeddings.embed_query(index.spell_out_question(question)))
        if (plain_ask := without_occasion(question)) != question:  # "…harsher when he spoke to the ministers?":
            ask_vector = _mean_direction(ask_vector, embeddings.embed_query(plain_ask))  # what he said, not where
        steer = {c.passage_id: STEER for c in history[-1].citations} if history else {}
        shown = {(c.file, c.start) for c in history[-1].citations} if history else set()
        parts = question_parts(index.name_acronyms(question))  # "…ministers' meeting (ADMM) …", as passages name it
        if len(parts) > 1:
            _embed_parts(parts, embeddings)
        else:
            parts = []
        threshold = self.settings.abstain_threshold if threshold is None else threshold

        def search():
            hits = retrieve(index, query, q_vector, k or self.settings.top_k, steer, parts)
            return hits, select(index, question, query, ask_vector, hits, embeddings.embed_documents, threshold, parts,
                                shown)

        hits, selection = search()
        bridged = bridge(parts, selection.part_answers, question)  # "that same think tank": now known
        if bridged:
            _embed_parts(bridged, embeddings)
            hits, selection = search()
        return index, query, hits, selection

    def warm(self) -> None:
        """Load the index and model and embed every document's sentences now, not on a reader's time."""
        index = self.index.get()
        embed = get_embeddings(self.settings).embed_documents
        index.speller, index.acronyms  # noqa: B018 — built once, from every word of the corpus
        for file in index.docs:
            index.sentence_vectors(file, embed)

    def available_generators(self) -> list[str]:
        from assistant.generators import available_generators

        return available_generators(self.settings)

    def resolve_generator(self, name: str | None) -> str:
        name = name or self.settings.generator
        if name == "auto":
            return "local" if "local" in self.available_generators() else "extractive"
        return name

    def document_text(self, file: str) -> str:
        return self.index.get().doc_text(file)

    def passage_is_current(self, passage_id: str) -> bool:
        index = self.index.get()
        if "#note" in passage_id:
            file, number = passage_id.split("#note")
            return index.note(file, int(number)) is not None
        return index.passage(passage_id) is not None

    def reload(self) -> None:
        self.index.reset()

    # --- internals -------------------------------------------------------------------------
    def _finish(self, answer: Answer, retrieved: list[dict], query: str, name: str, started: float) -> None:
        answer.retrieved = retrieved
        answer.standalone_question = query
        answer.generator = answer.generator if answer.generator != "extractive" else name
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)

    def _generator(self, name: str):
        with self._lock:
            if name not in self._generators:
                from assistant.generators import make_generator

                self._generators[name] = make_generator(name, self.settings)
            return self._generators[name]

    def _generate(self, name, question, query, evidence, selection, baseline: Answer, index):
        """Compose with a model; keep only sentences the cited evidence supports; else extractive.
        `query`: the question with the conversation folded in, which says what the reader knows."""
        from assistant.generators.base import GeneratorError
        from assistant.generators.verify import check, keeps_news

        events: queue.Queue = queue.Queue()
        result: dict = {}

        def work() -> None:  # the model runs in a thread so its text can be yielded as it comes
            try:
                generator = self._generator(name)
                if generator is None:
                    raise GeneratorError(f"generator {name!r} is not available here")
                result["sentences"] = generator.compose(question, evidence, on_text=events.put)
            except GeneratorError as exc:
                result["error"] = str(exc)
            except Exception as exc:  # a model crash must not take the answer down with it
                result["error"] = f"generator failed ({exc.__class__.__name__}: {exc})"
            finally:
                events.put(None)

        threading.Thread(target=work, daemon=True).start()
        while (delta := events.get()) is not None:
            yield Event("text", delta=delta)
        if "error" in result:
            baseline.notice = f"{result['error']}; showing the extractive answer"
            baseline.generator = "extractive"
            yield Event("text", delta=baseline.text)
            return baseline
        sentences = result["sentences"]
        by_id = {e.id: e for e in evidence}
        embed = get_embeddings(self.settings).embed_documents
        kept: list[Sentence] = []
        for s in sentences:
            cited = [by_id[i].text for i in s.evidence if i in by_id]
            if cited and check(s.text, cited, embed)[0]:
                kept.append(s)
        fallback = extractive(evidence, selection)
        # a rewrite that keeps none of its evidence's names or numbers ("Japan is building the
        # vessels" for "…signed a contract with Japan Marine United…") lost the news: the original
        verbatim = {s.evidence[0]: s for s in fallback}
        restored: list[Sentence] = []
        for s in kept:
            if len(s.evidence) == 1 and not keeps_news([s.text], by_id[s.evidence[0]].text, query):
                s = verbatim.get(s.evidence[0], s)
            if s not in restored:
                restored.append(s)
        kept = restored
        # one sentence citing three ("…emphasizing Japan's intention … [1][2][3]") may keep nothing of one of
        # them ("…under an exclusively defense-oriented policy"): that one follows, verbatim
        said = [s.text for s in kept]
        lost = [i for s in kept if len(s.evidence) > 1 for i in s.evidence
                if i in by_id and by_id[i].kind != "note" and not keeps_news(said, by_id[i].text, query, compounds=True)]
        kept += [verbatim[i] for i in dict.fromkeys(lost) if i in verbatim and verbatim[i] not in kept]
        if selection.wants_source:
            kept += [s for s in fallback if any(by_id[i].kind == "note" for i in s.evidence)]
        if kept:  # small models drop half of a two-part answer: what the question needs comes back verbatim
            cited, required = {i for s in kept for i in s.evidence}, required_ids(selection)
            kept += [s for s in fallback if s.evidence[0] in required and not cited & set(s.evidence)]
        if kept and set(question_needs(question)) & FIGURE_NEEDS:  # "what year was it set up, how many partners
            # …?": a rewrite kept "eight dialogue partners" and dropped "In 2010": a figure the answer needs
            said = numbers(" ".join(s.text for s in kept))
            kept += [s for s in fallback if s.evidence[0] in required and s not in kept
                     and numbers(by_id[s.evidence[0]].text) - said]
        if not kept:
            baseline.notice = "the model's answer was not supported by the evidence; showing the extractive answer"
            baseline.generator = "extractive"
            return baseline
        answer = render(index, question, kept, evidence)
        answer.generator = name
        return answer

"""What a question asks: its parts.

Readers pack two questions into one ("who chaired the meeting, and did Kihara go in person?";
"Abe floated a meeting in 2013. When did it happen, and who went for Japan?"). Searched as one
string, the part with the rarer words wins every slot and the other part goes unanswered. So the
question is split into its parts: each is searched on its own and must be covered by the evidence.
A statement before the questions ("Abe floated …") is context every part keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text import tokens

_ASKING = r"(?:what|what's|whats|which|who|who's|whom|whose|when|where|why|how|did|does|do|is|are|was|were|has|have|had|can|could|would|will|in what|in which|by whom|for whom)"
# ", and who…", " and what did they…", "; how…" — a new question starts after the conjunction
_JOIN = re.compile(rf"(?:,\s*(?:and|but|or)\s+|\s+(?:and|but)\s+|;\s*)(?={_ASKING}\b)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")
_REFERS_BACK = re.compile(r"\b(?:it|its|they|them|their|that|this|those|these|he|she|his|her|same)\b", re.I)
_QUESTION_START = re.compile(rf"^{_ASKING}\b", re.IGNORECASE)


@dataclass
class Part:
    """One question inside a multi-part question."""

    text: str  # what is searched: the clause, the statements before it, what "it"/"them" refers to
    clause: str  # the question itself: what evidence must answer, and the kind of fact it asks for
    vector: list[float] | None = None  # of `text`, for retrieval
    answer_vector: list[float] | None = None  # of `answered`, for choosing its evidence

    @property
    def answered(self) -> str:
        """What this part's evidence must answer: the clause itself, unless it says too little on its
        own ("how did Hanoi get around it?"), then the clause with its context."""
        return self.clause if len(tokens(self.clause)) >= 3 else self.text


def question_parts(question: str) -> list[Part]:
    """The questions inside `question`, each with the statements that precede them as context.

    A question with one part returns one part. Parts with nothing to search on ("and by whom?")
    stay joined to the part before them.
    """
    sentences = [s.strip() for s in _SENTENCE.split(question.strip()) if s.strip()]
    context, asked = [], []
    for sentence in sentences:
        if sentence.endswith("?") or _QUESTION_START.match(sentence):
            asked.append(sentence)
        elif asked:
            asked[-1] += " " + sentence  # a statement after a question qualifies it
        else:
            context.append(sentence)
    clauses: list[str] = []
    for sentence in asked or [" ".join(context)]:
        pending = ""
        for clause in _JOIN.split(sentence):
            clause = clause.strip(" ,;")
            if pending:
                clause, pending = f"{pending} and {clause}", ""
            if tokens(clause):
                clauses.append(clause)
            elif clauses:  # "…issued, and by whom?": nothing to search on; it asks more of the last part
                clauses[-1] += " and " + clause
            else:  # "When and where was it held?": a bare "When" joins the clause after it
                pending = clause
        if pending:
            clauses.append(pending)
    if len(clauses) <= 1:
        return [Part(question.strip(), question.strip())]
    lead = " ".join(context) if asked else ""
    parts = []
    for i, clause in enumerate(clauses):
        text = clause
        if i and _REFERS_BACK.search(clause):  # "…and how many people wrote them?": say what "them" is
            text = f"{clauses[i - 1]} {clause}"
        parts.append(Part(f"{lead} {text}".strip(), clause))
    return parts


# "which key concept", "what national interest", "what month", "who was chairing": the words after
# the question word name the kind of thing the answer is.
_FOCUS = re.compile(
    r"\b(?:which|what|whats|what's|who|whom)(?:\s+(?:is|are|was|were|'s))?\s+(?:the\s+|a\s+|an\s+)?(?:one\s+)?"
    r"((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)
# "what month", "what percentage": the kind of fact, checked by `evidence.question_needs`, not a word
_ANSWER_TYPES = frozenset(tokens("month year date day time number percentage percent amount value total many much"))
_AUXILIARY = frozenset("do does did has have had can could would will should shall may might must".split())


def question_focus(question: str) -> set[str]:
    """Search terms of the phrase right after each question word — the answer's kind. Evidence
    that names it ("…(PCP) is the key concept…" for "built around which key concept") is what a
    reader wants, more than a sentence that repeats the rest of the question.

    Only the leading run of content words counts: "what does Aizawa cite" (an auxiliary) has no
    focus, and "the theme of Kihara's speech" stops at "of".
    """
    focus: set[str] = set()
    for match in _FOCUS.finditer(question):
        run = []
        for word in match.group(1).split():
            if word.lower() in _AUXILIARY or not tokens(word):
                break
            run.append(word)
        for word in run[:2]:
            words = tokens(word)
            focus.update(words[1:] if "-" in word else words)  # "finished-product": its two words
    return focus - _ANSWER_TYPES

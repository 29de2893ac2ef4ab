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

from assistant.text import IRREGULAR, MONTHS, plain, tokens

_ASKING = r"(?:what|what's|whats|which|who|who's|whom|whose|when|where|why|how|did|does|do|is|are|was|were|has|have|had|can|could|would|will|in what|in which|by whom|for whom)"
# ", and who…", " and what did they…", "; how…" — a new question starts after the conjunction
_JOIN = re.compile(rf"(?:,\s*(?:and|but|or)\s+|\s+(?:and|but)\s+|;\s*)(?={_ASKING}\b)", re.IGNORECASE)
# "when did it start, when was the plus version added, and …": a bare comma only between two questions, before a
# question word and its verb — ", which was launched in 2006", ", when it met" and "in the SPF proposal, where …" do not
_BARE = re.compile(r",\s*(?=(?:what|when|where|why|how)\s+(?:do|does|did|is|are|was|were|has|have|had|can|could|would|will|"
                   r"many|much|long|often)\b)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")
_REFERS_BACK = re.compile(r"\b(?:it|its|they|them|their|that|this|those|these|he|she|his|her|same)\b", re.I)
# "what share trusted Japan, and how did the US do?", "…, and what about the EU?": the same asked of another
_SAME_OF = re.compile(r"^(?:and\s+)?(?:how (?:did|does|do|is|was|were|are) [^?]{1,40}? (?:do|fare|rank|score|perform|compare)|"
                      r"what about\b|how about\b)", re.IGNORECASE)
_QUESTION_START = re.compile(rf"^{_ASKING}\b", re.IGNORECASE)
# "the country that hosted the 8th meeting — when did Japan sign a memo with it?": the thing described is
# what the first part asks for ("which country hosted the 8th meeting?"), the question after the dash the second
_DESCRIBED = re.compile(r"^(?:the|that)\s+((?:[\w'’-]+\s+){0,2}[\w'’-]+)\s+(?:that|which|who)\s+(.+?)\s*(?:—|–|\s-\s|:)\s*"
                        rf"((?:{_ASKING})\b.+)$", re.IGNORECASE)
# "the japan-asean vice-ministerial forum: when did tokyo start it, where was the 5th one, …?": a topic named
# before a colon is the context of every question after it, not a part of the first
_TOPIC = re.compile(rf"^(?!{_ASKING}\b)([^:?—–]{{3,100}}?)\s*:\s*(?=(?:{_ASKING})\b)", re.IGNORECASE)

# "when did it actually happen?", "was it ever held?", "what came of it?": a proposal's fate, told later on
FOLLOW_THROUGH_Q = re.compile(r"\b(?:actually|eventually|finally|ever|really)\s+(?:happen\w*|take place|took place|(?:gets? |got )?"
                              r"(?:held|convened|launched)|materiali[sz]e\w*)\b|\bdid (?:it|that|this|they) (?:ever )?(?:happen|"
                              r"take place|materiali[sz]e)\b|\bc(?:o|a)me of\b", re.IGNORECASE)


@dataclass
class Part:
    """One question inside a multi-part question."""

    clause: str  # the question itself: what evidence must answer, and the kind of fact it asks for
    lead: str = ""  # statements before the questions ("Abe floated a meeting in 2013."): context of every part
    topic: str = ""  # a topic named before a colon ("the vice-ministerial forum: when …"): what every part is about
    previous: str = ""  # the part before, when this one refers back to it ("…, and how many wrote them?")
    names: str = ""  # what it refers back to, once known: names in the previous part's answer (`bridge`)
    like: str = ""  # the part before, when this one asks the same of another ("…, and how did the US do?")
    vector: list[float] | None = None  # of `text`, for retrieval
    answer_vector: list[float] | None = None  # of `answered`, for choosing its evidence

    @property
    def text(self) -> str:
        """What is searched: the clause with its context, and what "it"/"that same think tank" refers
        to — the previous part's answer once known, else the previous part itself."""
        return " ".join(t for t in (self.topic, self.lead, self.names or self.previous, self.clause) if t)

    @property
    def answered(self) -> str:
        """What this part's evidence must answer: the clause itself, unless it says too little on its
        own ("how did Hanoi get around it?"), then the clause with its context; and what it refers to."""
        return f"{self.clause if len(tokens(self.clause)) >= 3 else self.text} {self.names}".strip()


def question_parts(question: str) -> list[Part]:
    """The questions inside `question`, each with the statements that precede them as context.

    A question with one part returns one part. Parts with nothing to search on ("and by whom?")
    stay joined to the part before them.
    """
    sentences = [s.strip() for s in _SENTENCE.split(question.strip()) if s.strip()]
    context, asked, topics = [], [], []
    for sentence in sentences:
        topic = None if _DESCRIBED.match(sentence) else _TOPIC.match(sentence)
        if topic and sentence.endswith("?"):
            topics.append(topic.group(1))
            sentence = sentence[topic.end():]
        if sentence.endswith("?") or _QUESTION_START.match(sentence):
            asked.append(sentence)
        elif asked:
            asked[-1] += " " + sentence  # a statement after a question qualifies it
        else:
            context.append(sentence)
    clauses: list[str] = []
    for sentence in asked or [" ".join(context)]:
        pending = ""
        described = _DESCRIBED.match(sentence)
        pieces = ([f"which {described.group(1)} {described.group(2)}?"] + _JOIN.split(described.group(3))
                  if described else _JOIN.split(sentence))
        pieces = [p for piece in pieces for p in _bare_split(piece)]
        for clause in pieces:
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
        return [Part(question.strip())]
    lead = " ".join(context) if asked else ""
    # "…and how many people wrote them?": the part before says what "them" is
    return [Part(clause, lead, " ".join(topics), clauses[i - 1] if i and _REFERS_BACK.search(clause) else "",
                 like=clauses[i - 1] if i and _SAME_OF.match(clause) else "")
            for i, clause in enumerate(clauses)]


def _bare_split(piece: str) -> list[str]:
    """`piece` cut at each bare comma that ends a question ("when did the ADMM get going, when was …")."""
    out: list[str] = []
    for clause in _BARE.split(piece):
        if out and _QUESTION_START.match(out[-1].strip()):
            out.append(clause)
        elif out:
            out[-1] += ", " + clause
        else:
            out.append(clause)
    return out


# "the Sasakawa Peace Foundation", "Defense Minister Eto", "JMOD": runs of capitalised words
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of|for|and|the|de)?\s*[A-Z][\w'’.-]*)*")
BRIDGE_NAMES = 3


def answer_names(sentence: str, question: str, focus: set[str] = frozenset()) -> list[str]:
    """Names in `sentence` (the answer found for one part) that share no word with `question`
    ("Canon Institute for Global Studies" is the question's "Canon Institute", not news).

    They are what a later part means by "that same think tank" or "they": "Which think tank sat in
    on the dialogue, and when did that same think tank publish its proposal?" can only be searched
    once the first part's answer ("the Sasakawa Peace Foundation") is known. When the sentence holds
    the part's `focus` ("…the Sasakawa Peace Foundation, a private think tank"), the name closest to
    it is the one meant; otherwise every new name counts.
    """
    asked = set(tokens(question))
    found = [m for m in _NAME.finditer(sentence) if tokens(m.group(0)) and not set(tokens(m.group(0))) & asked
             and not re.fullmatch(MONTHS, m.group(0))]  # "in August 2023": a time, not who or what was meant
    lower = sentence.lower()
    anchors = [m.start() for term in focus for m in re.finditer(rf"\b{re.escape(term)}", lower)]
    if anchors and found:
        found = [min(found, key=lambda m: min(abs(m.start() - a) + abs(m.end() - a) for a in anchors))]
    return list(dict.fromkeys(m.group(0).rstrip(".") for m in found))[:BRIDGE_NAMES]


def _asks_for_entity(clause: str) -> bool:
    """"Which think tank …", "who chaired …": the answer is a name a later part can refer to; the
    answer to "how many proposals …" is not, and "them" there means the proposals."""
    return bool(question_focus(clause) or re.match(r"\s*(?:who|whom|whose)\b", clause, re.I))


def bridge(parts: list[Part], answers: list, question: str) -> list[Part]:
    """Give each part that follows the part before it the names that part's answer gave (`answers`:
    one evidence sentence per part, in order). Returns the parts changed, whose vectors are stale."""
    changed = []
    for i, part in enumerate(parts):
        if part.previous and i <= len(answers) and _asks_for_entity(parts[i - 1].clause):
            names = answer_names(answers[i - 1].text, question, question_focus(parts[i - 1].clause))
            if names:
                part.names = " ".join(names)
                changed.append(part)
    return changed


# "which key concept", "what national interest", "what month", "who was chairing": the words after
# the question word name the kind of thing the answer is.
_FOCUS = re.compile(
    r"\b(?:which|what|whats|what's|who|whom)(?:\s+(?:is|are|was|were|'s))?\s+(?:the\s+|a\s+|an\s+)?(?:one\s+)?"
    r"((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)
_HEAD = re.compile(  # as _FOCUS, with room for a longer phrase ("which ADMM-Plus expert working groups"), no "who"
    r"\b(?:which|what|whats|what's)(?:\s+(?:is|are|was|were|'s))?\s+(?:the\s+|a\s+|an\s+)?(?:one\s+)?"
    r"((?:[\w-]+\s+){0,3}[\w-]+)", re.IGNORECASE)
# "what month", "what percentage": the kind of fact, checked by `needs.question_needs`, not a word
# as are "what kinds", "in what fields": the answer names the fields, not the word
_ANSWER_TYPES = frozenset(tokens("month year date day time number percentage percent amount value total many much "
                                 "field fields kind kinds type types sort sorts"))
_AUXILIARY = frozenset("do does did has have had can could would will should shall may might must".split())


def unquoted(question: str) -> str:
    """The question without quotation marks round its words ("what was the 'first' seminar"), which would
    end a phrase; an apostrophe inside a word ("what's", "Kihara's") stays."""
    return re.sub(r"(?<![\w])['‘“\"]|['’”\"](?![\w])", "", question)


_QUOTED = re.compile(r"(?<![\w])['‘“\"]([^'‘’“”\"]+?)['’”\"](?![\w])")
QUOTED_MIN_WORDS = 3  # "the 'first' seminar" is emphasis; "'key players in guarding the order'" is a quotation


def quoted_phrases(question: str) -> list[str]:
    """The words a reader quotes from a document ("a keynote line saying the 'key players in guarding
    the order' …"), as `plain` text: a passage holding them verbatim is the one they mean."""
    phrases = [plain(m.group(1)) for m in _QUOTED.finditer(question)]
    return [p for p in phrases if len(p.split()) >= QUOTED_MIN_WORDS]


def asking_sentence(question: str) -> str:
    """The question's last sentence, the one that asks: a statement before it ("Japan co-chairs it for
    2024-27. who did it co-chair with before?") sets the scene."""
    return re.split(r"(?<=[.!?])\s+", question.strip())[-1]


# "…, in his Nov 2023 remarks to ASEAN ministers?", "…when he spoke to the ASEAN ministers?": the occasion
_OCCASION = re.compile(r"(?:,\s*|\s+)(?:when|while|in|at|during)\s+(?:he|she|they|his|her|their)\s+[^,;?]*\?\s*$", re.IGNORECASE)


def without_occasion(question: str) -> str:
    """The question without the occasion its end sets ("…harsher when he spoke to the ASEAN ministers?" →
    "…harsher?"): every sentence of that speech shares the occasion's words, so they say where the answer
    is, not which sentence it is. The question itself when it sets none, or is nothing else."""
    m = _OCCASION.search(asking_sentence(question.strip()))
    rest = question.strip()[: len(question.strip()) - len(m.group())] if m else ""
    return f"{rest}?" if tokens(rest) else question


def occasion_terms(question: str) -> set[str]:
    """Search terms only the occasion at the question's end holds (`without_occasion`)."""
    return set(tokens(question)) - set(tokens(without_occasion(question)))


def question_heads(question: str) -> set[str]:
    """The noun each question word asks about — the last word of the phrase after it: "what first-ever
    japan-asean seminar did …" → seminar, "which think tank" → tank. An answer names it."""
    heads: set[str] = set()
    for match in _HEAD.finditer(unquoted(question)):
        run = []
        for word in match.group(1).split():  # up to the verb: "which think tank sat in", "… seminar did"
            low = word.lower()
            if low in _AUXILIARY or low in IRREGULAR or (low.endswith("ed") and run) or not tokens(word):
                break
            run.append(word)
        if run:
            heads.update(tokens(run[-1])[:1])
    asking = asking_sentence(question)
    if not heads - _ANSWER_TYPES and asking != question.strip() and _REFERRING.search(asking):
        heads |= _introduced(question[: len(question.rstrip()) - len(asking)])
    return heads - _ANSWER_TYPES


# "Japan proposed a first-ever seminar with ASEAN. what was it going to be about?": "it" is the seminar
_REFERRING = re.compile(r"\b(?:it|its|they|them|that one|this one)\b", re.IGNORECASE)
_INTRODUCING = re.compile(r"\b(?:a|an)\s+((?:[\w-]+\s+){0,3}[\w-]+)", re.IGNORECASE)
_NOUN_PHRASE_END = frozenset("with on at for to in of that which who and or by from about as during".split())


def _introduced(statement: str) -> set[str]:
    """The head noun of each thing a statement introduces with "a"/"an" — the last word before the
    phrase goes on ("a first-ever seminar | with ASEAN" → seminar)."""
    heads: set[str] = set()
    for match in _INTRODUCING.finditer(unquoted(statement)):
        run = []
        for word in re.split(r"\s+", match.group(1)):
            if word.lower() in _NOUN_PHRASE_END:
                break
            run.append(word)
            if re.search(r"[.,;:!?]$", word):
                break
        if run and tokens(run[-1]):
            heads.add(tokens(run[-1])[0])
    return heads


def question_focus(question: str) -> set[str]:
    """Search terms of the phrase right after each question word — the answer's kind. Evidence
    that names it ("…(PCP) is the key concept…" for "built around which key concept") is what a
    reader wants, more than a sentence that repeats the rest of the question.

    Only the leading run of content words counts: "what does Aizawa cite" (an auxiliary) has no
    focus, and "the theme of Kihara's speech" stops at "of".
    """
    focus: set[str] = set()
    for match in _FOCUS.finditer(unquoted(question)):
        asks_what = not match.group(0).lower().startswith("who")
        run = []
        for word in match.group(1).split():
            low = word.lower()
            if low in _AUXILIARY or not tokens(word) or (not run and asks_what and (low.endswith("ed") or low in IRREGULAR)):
                break  # "what happened": a verb, not the answer's kind ("who chaired" keeps its verb: "Chairman")
            run.append(word)
        for word in run[:2]:
            words = tokens(word)
            focus.update(words[1:] if "-" in word else words)  # "finished-product": its two words
    return focus - _ANSWER_TYPES

"""Evidence first: choose the sentences that answer the question, or decide that none do.

Candidates (`candidates.py`) are the sentences of the retrieved units, with offsets into the file. Each is
scored by meaning (cosine to the question), by the share of the question's weighted words it holds
and by its unit's retrieval rank. Selection is greedy: the best sentence, then sentences that cover
question words still uncovered. The question's *type* must then be satisfied — a "when" needs a
date, a "how many" a number, a "where" a place, a year named in the question must appear — or the
assistant abstains: an on-topic passage that lacks the asked-for fact is not an answer. Sentences
the chosen ones cannot be read without (a list's items, a "However, …" that follows) come from
`companions.py`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from assistant.candidates import (Candidate, biography, candidates, gap, is_bibliographic, repeats, sentence_vector,
                                  signature)
from assistant.companions import companions, dating_notes, explaining_notes, list_items, states_ordinal
from assistant.index import CorpusIndex
from assistant.question import Part, question_focus
from assistant.retrieve import DEFINES, DEFINITION_Q, Hit
from assistant.text import INTRODUCES, MONTHS as _MONTHS, ORDINALS, fold, numbers, ordinals, tokens

MAX_SENTENCES = 4
MAX_WORDS = 110  # what the greedy pass fills
MAX_TOTAL_WORDS = 120  # the whole extractive answer, after facts fetched for a question's parts
PART_RELEVANT = 0.8  # a sentence answers a part if it scores this close to the part's best
PART_CHOSEN = 0.9  # …and one already chosen is preferred if it scores this close
FOCUS_BOOST = 2.0
SOFT_NEEDS = {"reason", "recommendation"}  # sought when choosing evidence, never a cause to abstain: either
# can be stated without the words that usually mark it
FOCUS_SHARE = 0.6  # a sentence names a part's focus if it holds this share of the focus words
PART_NEARBY = 0.6  # …and may supply the date or name the part asks for if it scores this close
SHOWN_WEIGHT = 0.8  # a sentence the previous answer cited, in a follow-up that asks for more
TABLE_ROW_WORDS = 25
HEADLINED_SENTENCES = 3  # sentences after a "Label: Title:" headline read under it
HOLDER_SHARE = 0.5  # of the best sentence's share of the question's words, for a sentence stating the fact asked
NAME_CLOSE = 0.9
NAME_MAX_SHARE = 0.15  # a name in a part that fewer passages than this share hold must be in the part's answer
PREMISE_SHARE = 0.6  # a sentence holding this share of a question's opening statement only restates it
_DATE = re.compile(rf"\b(?:1[89]\d\d|20\d\d)s?\b|\b{_MONTHS}\b|"  # …or an era: "only after the end of the Cold War"
                   r"\b(?:end|start|beginning|outbreak|close) of (?:the )?(?-i:[A-Z][\w-]+(?: [A-Z][\w-]+)*)|\bpost-(?-i:[A-Z])[\w-]+",
                   re.IGNORECASE)
_MONTH = re.compile(rf"\b{_MONTHS}\b")
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|dozen)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"[¥$€£]\s?\d|\d[\d,.]*\s?(?:%|percent|per cent|billion|million|trillion|yen|dollars?|usd)\b", re.IGNORECASE)
# "how many … in total?" is not answered by "the first four of which": a share of the count, not the count
_TOTAL_Q = re.compile(r"\bin total\b|\baltogether\b|\btotal number\b|\boverall\b|\bin all\b")
_PART_OF = re.compile(r"\b(?:first|last|another|other|further|more|latest|initial)\s+$", re.I)
_PERCENT = re.compile(r"\d\s?(?:%|percent|per cent)", re.IGNORECASE)
_ORDINAL = re.compile(rf"\b\d+(?:st|nd|rd|th)\b|\b(?:{'|'.join(ORDINALS)})\b", re.IGNORECASE)  # "the 8th", "the fifth"
# "in Okinawa", "at the Pentagon", "visited Vietnam", "during the Pacific Partnership" (an event is a where) — not "in March", nor "at the Fourth … Forum" (which meeting, not where)
_PLACE = re.compile(rf"\b(?:in|at|to|from|near|during|visit(?:ed|ing|s)?)\s+(?:the\s+)?(?!{_MONTHS}\b|(?i:{'|'.join(ORDINALS)})\b)[A-Z][a-zA-Z-]+")
_ROLE = re.compile(r"\b(?:H\.E\.|Mr\.|Ms\.|Mrs\.|Dr\.|Ministers?|Secretary|President|Chair(?:man|person)?|"
                   r"Ambassador|General|Admiral|Professor|Director|Fellow)\b")  # capitalised: a title, not a noun
_BARE_LINK = re.compile(r"\s*<?https?://\S+>?\s*(?:\([^)]*\))?\s*$")  # a line that is only a link
# "Naval News: Japan launches …", "Table: Japan's Capacity Building …", "Hub Story: …": a headline, caption or
# heading of the form "Label: Title" (no full stop) — it names a text, it does not say anything
_HEADLINE = re.compile(r"^\s*[-*]?\s*[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*){0,4}: (?:[^.!?\n]|\.(?=\w))*$")
_CAPTION = re.compile(r"^\s*(?:Table|Figure|Chart)\s*\d*\s*[:.]\s+\S", re.IGNORECASE)
_CONTACT = re.compile(r"\b(?:Phone|Telephone|Tel|Fax|E-?mail|URL)(?:\s*\([\w ]{1,20}\))?\s*:|"
                      r"\b\d{3}-\d{4}\b(?!-)", re.IGNORECASE)  # …or a postal code: "Minato-ku, Tokyo 105-8524, Japan"  # "Phone: +81-3-… | URL: <…>"
# "why": a cause, a purpose, or a rule that forbade something
_REASON = re.compile(r"\b(?:because|due to|owing to|as a result|therefore|thus|hence|so that|in order to|aim(?:s|ed)? to|"
                     r"could not|cannot|can not|was not allowed|were not allowed|prohibit\w*|forbid\w*|restrict\w*|"
                     r"according to (?:its|the) (?:guidelines|rules|law|constitution)|reason)\b", re.IGNORECASE)
# "how often do they meet?": "every two years", "annually", "twice a year", "on a regular basis"
_FREQUENCY = re.compile(r"\bevery (?:\w+ )?(?:years?|months?|weeks?|days?)\b|\b(?:bi)?annual(?:ly)?\b|\b(?:bi)?(?:yearly|monthly|weekly)\b|"
                        r"\bbiennial(?:ly)?\b|\beach (?:year|month)\b|\b(?:once|twice|(?:two|three|four) times) (?:a|per|every|each)\b|"
                        r"\bper (?:year|annum)\b|\bregular(?:ly| basis)\b|\bperiodic(?:ally)?\b", re.IGNORECASE)
# "what did they recommend": what a proposal says should be done
_RECOMMENDS = re.compile(r"\b(?:should|must|ought to|needs? to|recommend\w*|propos\w*|calls? for|it is (?:necessary|essential|"
                         r"important|vital) (?:to|that))\b", re.IGNORECASE)
# "what's PALM?", "what does OSA stand for?": an acronym asked about is answered where it is spelt out
_ACRONYM_Q = re.compile(r"\b(?i:what(?:'s|’s|s| is| are| was| does| do)\s+(?:the\s+)?)['‘\"“]?([A-Z]{2,6})s?\b")
# "jasmine stands for??", "full name of the EWG": an acronym asked about in any case
_EXPANSION_Q = re.compile(r"\bstands? for\b|\bshort for\b|\bacronym\b|\babbreviat\w*|\bfull (?:name|form)\b|\bspel(?:t|led) out\b",
                          re.IGNORECASE)
# "who wrote the civilian control proposal?": in an edited report, the section's signed author
_AUTHOR_Q = re.compile(r"\bwho (?:wrote|authored|drafted|penned|was behind|is behind|came up with|proposed|suggested)\b|\bwhose idea\b|\bwho(?:'s| is| was) the author\b|"
                       r"\bwhose (?:proposal|section|chapter|recommendation|contribution)\b|\bwritten by whom\b", re.IGNORECASE)
# "what's his background?", "who is she?": who a contributor is, which an author list says
_BACKGROUND_Q = re.compile(r"\bbackground\b|\bwho (?:is|was) (?:he|she|that|this)\b|\bwhat (?:does|did) (?:he|she) do\b|"
                           r"\b(?:his|her) (?:role|position|job|title|affiliation|career|credentials|experience)\b|"
                           r"\bwhere (?:does|did) (?:he|she) work\b", re.IGNORECASE)
# "what are they called?", "where was it first published?": the names and places of works, which a
# bibliographic note gives
_TITLE_Q = re.compile(r"\b(?:called|titled|entitled|title of|titles of|name of the (?:book|article|report|document|declaration)|"
                      r"publish\w*|publication|appear(?:s|ed)?|c[ao]mes? out)\b", re.IGNORECASE)
# the side a comparison is made against: "ahead of the US", "more than China", "compared with the EU"
_COMPARED = re.compile(r"\b(?:ahead of|behind|(?:more|less|higher|lower|fewer|greater) than|compared (?:with|to)|versus|vs\.?)\s+"
                       r"(?:the\s+)?((?:[A-Z][\w.-]*\s?){1,3})")
_DISCLAIMER = re.compile(r"\bviews expressed\b|\ball rights reserved\b|\bunauthori[sz]ed (?:reproduction|copying)\b|"
                         r"\b(?:report|paper|article) (?:is|was) originally published\b|"
                         r"\bwhen quoting\b|\bplease cite\b|\bBldg\.|"
                         r"\bdo(?:es)? not (?:necessarily )?(?:represent|reflect) the (?:official )?(?:views?|position)", re.IGNORECASE)
_DISCLAIMER_Q = re.compile(r"\bviews?\b|\bofficial\b|\bposition\b|\breproduc|\bcopy|\bcopyright|\bdisclaim|\bpublish|"
                           r"\boriginal|\blanguage|\btranslat", re.IGNORECASE)
_BOTH = re.compile(r"\b(?:both|each|compar\w*|differ\w*|versus|vs\.?|contrast\w*)\b", re.IGNORECASE)  # documents compared
_CAPITALISED = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][a-z][\w’'-]+")
_SOURCE_WORDS = frozenset(tokens("source sources cite cites cited citing citation footnote footnotes note notes reference "
                                 "references back backs backed based"))
_SOURCE_Q = re.compile(
    r"\b(source|sources|cite|cites|cited|citing|citation|footnote|note|reference|references|backs?|backed|pages?|"
    r"based on|comes? from|come from|whose (?:phrase|words|quote)|"
    r"(?:which|what) (?:book|article|paper|document|report|speech|statement|address|remarks|interview)|"
    r"where does .* (?:come|quote|get|find|take)|where (?:does|do) \w+(?: \w+)? (?:send|point|refer|direct)|"
    r"(?:rel(?:y|ies|ied)|draws?|drew) on|on what (?:basis|grounds)|what evidence|"
    r"where(?:'s| is| was| did| does)? (?:that|this|the|it)\b.* from|according to whom)\b",
    re.IGNORECASE,
)


@dataclass
class Selection:
    chosen: list[Candidate]
    abstain_reason: str | None
    wants_source: bool
    confidence: float
    # chosen sentences an answer may not leave out: the best one, each part's answer, a list's items, those
    # stating the date, number or person asked for, those the best one cannot be read without (a model's
    # rewrite that drops one gets it back)
    required: list[Candidate] = field(default_factory=list)
    part_answers: list[Candidate] = field(default_factory=list)  # one per part of a multi-part question


def wants_source(question: str) -> bool:
    """Does the question ask for the document's own source (a footnote) rather than the claim?"""
    return bool(_SOURCE_Q.search(question))


def select(index: CorpusIndex, question: str, context: str, q_vector: list[float], hits: list[Hit],
           embed, threshold: float, parts: list[Part] = (), shown: set[tuple[str, int]] = frozenset()) -> Selection:
    """Pick evidence sentences for `question` (`context` = the question with the conversation folded in).
    `parts`: the questions inside a multi-part question with their vectors; each must be covered.
    `shown`: (file, start) of the sentences the previous answer cited — a follow-up asks for more."""
    pool = candidates(index, hits)
    source = wants_source(question)
    if not pool:
        return Selection([], "nothing relevant was retrieved", source, 0.0)
    focus_terms = question_focus(question)
    weights = _term_weights(index, context, focus_terms)
    if source:  # "which source backs …": the claim's words find the claim; "source" itself is the question's frame
        weights = {t: w for t, w in weights.items() if t not in _SOURCE_WORDS} or weights
    focus = set(tokens(question))
    query = np.asarray(q_vector, dtype=np.float32)
    titles = {fold(t) for t in [d.title for d in index.docs.values()] + sorted(index.headings)}
    defining = bool(DEFINITION_Q.search(question))
    short = _asked_acronym(question, pool)
    # spelt out: "Official Security Assistance (OSA)", "JASMINE (Japan-ASEAN …)"; or explained: "PALM is …" —
    # which is not what "what does X stand for?" asks
    spelt = re.compile(rf"\(\s*{short}\s*\)|\b{short}\b[”\"]?\s*\(\s*[A-Z]" + (
        "" if _EXPANSION_Q.search(question) else rf"|\b{short}\b[”\"]?\s+(?:is|are|refers|means|stands)\b")) if short else None
    titles_asked = bool(_TITLE_Q.search(question))
    named = index.named_documents(tokens(context))  # "the Sasakawa report": its own words first
    captions = _captions(pool)
    for c in pool:
        c.terms = _terms(f"{c.text} {index.spelt_out(c.file, c.text)}", focus_terms)
        c.borrowed = (_terms(captions[id(c)], focus_terms) if id(c) in captions else set()) - c.terms
        c.terms |= c.borrowed | _contributor_terms(index, c)
        c.coverage = _coverage(weights, c.terms)
        own = sum(weights.get(t, 0) for t in focus & c.terms) / (sum(weights.get(t, 0) for t in focus) or 1.0)
        vector = sentence_vector(index, c, embed)
        sim = float(vector @ query) if vector.shape == query.shape else 0.0
        c.score = 0.45 * sim + 0.35 * c.coverage + 0.15 * own + 0.05 / (1 + c.unit) + (0.1 if c.file in named else 0)
        if defining and DEFINES.search(c.text):
            c.score += 0.2  # "X is defined as …", "X refers to …" answers "how is X defined"
        if spelt is not None and spelt.search(c.text):
            c.score += 0.2  # "Official Security Assistance (OSA)" answers "what's OSA?"
        if _DISCLAIMER.search(c.text) and not _DISCLAIMER_Q.search(question):
            c.score *= 0.5  # "The views expressed in this report are those of the authors …", "When quoting, please
            # cite this report", an address line: the publisher's boilerplate says nothing on the topic
        if not source and not titles_asked and is_bibliographic(c):
            c.score *= 0.5  # a bibliographic note answers "what is the source", not the question itself
        if (c.file, c.start) in shown and not source:
            c.score *= SHOWN_WEIGHT  # "and who built that alignment?": not the sentence the reader just read
        folded = fold(c.text).strip(" .")
        if (len(c.text.split()) < 4 or any(folded in t for t in titles) or _BARE_LINK.match(c.text)
                or _CONTACT.search(c.text) or _front_matter_title(index, c)
                or (c.number >= 0 and len(c.text.split()) <= 25 and _HEADLINE.match(c.text))):
            c.score = -1.0  # a heading, a contents line, the title or an address line answers nothing
    everything = pool  # list items are read in order, headings included
    pool = sorted((c for c in pool if c.score > -1.0), key=lambda c: -c.score)
    if not pool:
        return Selection([], "nothing relevant was retrieved", source, 0.0)
    listing = is_list_question(question)
    chosen = _greedy(pool, weights, listing)
    named_best: list[Candidate] = []
    items: list[Candidate] = []
    if listing:  # "what would the centre do?": the sentence after the topic sentence holds the list
        after = next((c for c in pool if c.file == chosen[0].file and c.number == chosen[0].number + 1), None)
        if after is not None and after not in chosen:
            chosen.insert(1, after)
        if not any(INTRODUCES.search(c.text) for c in chosen):  # "… outlined the following three principles."
            intro = next((c for c in pool if INTRODUCES.search(c.text) and c.score >= 0.6 * chosen[0].score
                          and (c.terms & focus_terms if focus_terms else c.coverage >= 0.3)), None)  # a list of what was asked
            if intro is not None:
                chosen.insert(1, intro)
        items = list_items(chosen, everything)
        chosen += [c for c in items if c not in chosen]
    explained = [n for n in explaining_notes(chosen, pool) if n not in chosen]  # what its sentence means
    chosen += explained
    if len(named) > 1 and (_BOTH.search(question) or _named_together(index, question)):  # "…in both the Sasakawa report
        # and Shoji's article", "what departments are aizawa and shoji in?": each document named has its say
        for file in sorted(named):
            if not any(c.file == file for c in chosen):
                own = next((c for c in pool if c.file == file and c.score >= 0.5 * chosen[0].score), None)
                if own is not None:
                    chosen.append(own)
                    named_best.append(own)
    needs = question_needs(question)
    if source and any(c.markers for c in chosen[:2]):  # "who does Shoji cite for …": the note names them,
        needs = [n for n in needs if n != "person"]  # and the answer quotes it (`compose.build_evidence`)
    for need in needs:  # a two-part question: fetch the sentence that holds the missing kind of fact
        if not any(_holds(need, c, context, chosen) for c in chosen):
            extra = next((c for c in pool if c not in chosen and c.score >= 0.5 * chosen[0].score
                          and _holds(need, c, context, chosen)), None) or next((
                c for c in pool if chosen[0].number >= 0 and c.file == chosen[0].file and c.number == chosen[0].number + 1
                and _holds(need, c, context, chosen)), None)  # "… chose ASEAN for his first trip." "In January he visited Vietnam …"
            if extra is not None and len(chosen) < MAX_SENTENCES + 1:
                chosen.append(extra)
    bound = companions(question, chosen, pool) + named_best  # what the best sentence leads to, who its "he" is: the
    # length limit drops them only after every loose sentence
    chosen += [c for c in bound if c not in chosen]
    keep = _cover_parts(index, question, parts, pool, chosen, embed)
    if keep:  # a part's answer may refer back too: "…concluded in March of the same year" ← "In 2015, …"
        more = [c for c in companions(question, chosen, pool) if c not in chosen]
        chosen += more
        bound += more
    signers = [chosen[0]] + keep if _AUTHOR_Q.search(question) else []  # the best sentence's section first
    signed = next((s for s in (signature(index, c) for c in signers) if s is not None), None)
    if signed is not None and signed not in chosen:
        chosen.append(signed)
        bound.append(signed)
    bios: list[Candidate] = []  # kept like a part's answer: the question's second half
    if _BACKGROUND_Q.search(question):  # "…and what's his background?": the author list says who each one is
        asked = set(tokens(context))
        named = [signed.text.strip("()")] if signed is not None else []
        named += [n for n in index.contributors if set(tokens(n)) & asked and n not in named]
        for name in named[:2]:
            bio = biography(index, name, (signed or chosen[0]).file, chosen[0].unit, chosen[0].score)
            if bio is not None and not any(c.start == bio.start for c in chosen):
                chosen.append(bio)
                bios.append(bio)
    # "the first-ever seminar": the sentence saying which one
    for ordinal in ordinals(question).values():
        if not any(states_ordinal(c.text, ordinal, question) for c in chosen):
            extra = next((c for c in pool if c not in chosen and c.score >= 0.5 * chosen[0].score
                          and states_ordinal(c.text, ordinal, question)), None)
            if extra is not None:
                chosen.append(extra)
                bound.append(extra)
    figures = _compared_figures(question, needs, chosen, pool)  # "how far ahead of the US is Japan?": the US's figure too
    chosen += figures
    bound += figures
    dates = dating_notes(_asked_figures(question) - numbers(" ".join(c.text for c in chosen if c.number >= 0)), chosen, pool)
    chosen += dates  # they state the year the question names: kept like a part's answer
    firm = keep + items + dates + bios
    chosen = _fit(chosen, needs, context, firm, bound + explained)
    beside = _beside_parts(index, parts, keep, chosen, pool, context, embed)
    if beside:
        chosen = _fit(chosen + beside, needs, context, firm + beside, bound + explained)
    lead = chosen[0]  # the best sentence first, the rest in reading order, a note right after the sentence carrying it
    carrier = {(c.file, m): (c.unit, c.number) for c in reversed(chosen) if c.number >= 0 for m in c.markers}

    def reading_order(c: Candidate) -> tuple:
        if c is lead:
            return (-1, "", 0)
        unit, number = carrier.get((c.file, -c.number), (c.unit, c.number)) if c.number < 0 else (c.unit, c.number)
        return (unit, c.file, number + (0.5 if c.number < 0 else 0))
    chosen.sort(key=reading_order)
    unknown = index.unknown_names(question)
    dated = " ".join(f"{d.title} {d.date or ''}" for d in (index.docs.get(f) for f in {c.file for c in chosen}) if d)
    reason = (f"nothing in the corpus mentions {', '.join(unknown)}" if unknown
              else _abstain_reason(question, context, chosen, needs, threshold, keep + [lead], dated))
    required = [lead] + [c for c in chosen if c is not lead and (listing or c in keep or c in bound or any(
        _holds(n, c, context, chosen) for n in needs if n not in SOFT_NEEDS))]  # a list keeps every item
    return Selection(chosen, reason, source, pool[0].score, required, keep)


def _named_together(index: CorpusIndex, question: str) -> bool:
    """Does the question join two documents' names ("aizawa and shoji", "the SPF report & the MOD release")?"""
    for m in re.finditer(r"([\w'’-]+)\s+(?:and|&)\s+(?:the\s+)?([\w'’-]+)", question):
        first, second = index.named_documents(tokens(m.group(1))), index.named_documents(tokens(m.group(2)))
        if first and second and first != second:
            return True
    return False


def _cover_parts(index: CorpusIndex, question: str, parts: list[Part], pool: list[Candidate],
                 chosen: list[Candidate], embed) -> list[Candidate]:
    """Make sure every part of a multi-part question has its own answer among `chosen` (in place).

    A part's answer is a sentence scoring close to the part's best (cosine to the part, share of
    its weighted words) that names the part's focus when one does ("which key concept" → "… is the
    key concept …"), and states the kind of fact the part asks for (a month, a number, a person)
    when one close enough does. Returns the part answers, which the length limit must not drop.
    """
    keep: dict[int, Candidate] = {}
    # Parts asking for a kind of fact (a date, a person) choose first: only some sentences can answer
    # them; of those, the part with the closest match first ("when was CUES first drawn up, and what year
    # did the WPNS adopt it?": the adoption sentence is plainly the second part's). Each later part then
    # answers with a sentence of its own when one is relevant, so "how did Kihara take part, and when was
    # it held?" is not answered twice by the sentence with the date.
    scores = [_part_scores(index, part, pool, embed) for part in parts]
    order = sorted(range(len(parts)), key=lambda i: (not set(question_needs(parts[i].clause)) - SOFT_NEEDS,
                                                     -max(scores[i].values(), default=0.0)))
    for i in order:
        part, score = parts[i], scores[i]
        focus = question_focus(part.clause)  # the clause, not the context searched with it
        scored = sorted(pool, key=lambda c: -score[id(c)])
        premise = set(tokens(part.lead))  # "The forum met for the 14th time in 2025. Where was the fifth one?":
        if premise:  # the sentence restating the statement answers none of the questions after it
            scored = [c for c in scored if len(c.terms & premise) < PREMISE_SHARE * len(premise)] or scored
        if part.names and i - 1 in keep and len(scored) > 1:  # "…and what did they recommend?" asks more than who they are
            scored.remove(keep[i - 1])
        best = score[id(scored[0])]
        nearby = [c for c in scored if score[id(c)] >= PART_NEARBY * best]
        relevant = [c for c in nearby if score[id(c)] >= PART_RELEVANT * best]
        relevant = ([c for c in relevant if not any(repeats(c, o) for o in keep.values())]  # a sentence of its own,
                    or [c for c in relevant if not any(c is o for o in keep.values())] or relevant)  # if not a new one
        names = {t for t in tokens(part.clause) if t in index.proper_names
                 and index.passage_df(t) <= NAME_MAX_SHARE * len(index.passages)}
        holding = [c for c in nearby if names and names <= c.terms]
        if holding:  # "capacity building for myanmar's military": a sentence about Myanmar, not capacity building at large
            top = score[id(holding[0])]  # and the one that best answers it, not any that mentions Myanmar
            relevant = [c for c in relevant if c in holding and score[id(c)] >= NAME_CLOSE * top] or holding[:1]
        naming = [c for c in nearby if focus and len(c.terms & focus) >= FOCUS_SHARE * len(focus)]
        if naming:  # "which key concept": a sentence that names a key concept answers it
            relevant = [c for c in relevant if c in naming] or naming[:1]
        # a sentence already chosen answers the part if it is nearly the best: it adds nothing to the answer's length
        answer = next((c for c in chosen if c in relevant and score[id(c)] >= PART_CHOSEN * score[id(relevant[0])]),
                      relevant[0])
        # "Japan faced a difficulty …" — the reason comes in the sentence after the claim
        following = [c for r in relevant if r.number >= 0 for c in pool if c.file == r.file and c.number == r.number + 1]
        fetched = False  # a date or person fetched for the part is not swapped for a soft need's sentence
        for need in sorted(question_needs(part.clause), key=lambda n: n in SOFT_NEEDS):
            if any(_holds(need, c, question, chosen, on_topic=True) for c in chosen if c in relevant) or (
                    fetched and need in SOFT_NEEDS):  # a name the question gives anywhere is not the answer
                continue
            sources = following + nearby if need == "reason" else nearby
            holding = [c for c in sources if _holds(need, c, question, chosen, on_topic=True)]
            holder = next((c for c in holding if not any(c is o for o in keep.values())), holding[0] if holding else None)
            if holder is None and need == "person":  # "who came second?": a country or a body may be the answer
                holder = next((c for c in relevant if _names_entity(c, question)), None)
            if holder is not None:
                answer, fetched = holder, True
        if answer not in chosen:  # however many the greedy pass chose: `_fit` drops those, not a part's answer
            chosen.append(answer)
        keep[i] = answer
    return [keep[i] for i in range(len(parts))]


def _part_scores(index: CorpusIndex, part: Part, pool: list[Candidate], embed) -> dict[int, float]:
    """How well each sentence answers one part: cosine to the part, and the share of its weighted words."""
    weights = _term_weights(index, part.answered, question_focus(part.clause))  # the clause's focus, not the context's
    query = np.asarray(part.answer_vector, dtype=np.float32)
    score = {}
    for c in pool:
        v = sentence_vector(index, c, embed)
        sim = float(v @ query) if v.shape == query.shape else 0.0
        score[id(c)] = 0.5 * sim + 0.5 * _coverage(weights, c.terms)
        if not wants_source(part.clause) and is_bibliographic(c):
            score[id(c)] *= 0.5  # as in `select`: a bibliographic note answers "what is the source"
    return score


def _beside_parts(index: CorpusIndex, parts: list[Part], keep: list[Candidate], chosen: list[Candidate],
                  pool: list[Candidate], context: str, embed) -> list[Candidate]:
    """Sentences right beside a part's answer that state a fact a part asks for which the answer so
    far lacks: "when was it started, and where was the fifth one?" — "Tokyo established an annual
    meeting … in 2009." stands just before "In February 2014 the fifth meeting was held in Okinawa".
    Of the neighbours stating it, the one closest in meaning to the part's own clause is taken: they
    are all on the topic, and what tells them apart is what the clause asks ("started")."""
    found: list[Candidate] = []
    for part in parts:
        query = None
        for need in question_needs(part.clause):
            if need in SOFT_NEEDS or any(_holds(need, c, context, chosen + found) for c in chosen + found):
                continue
            options = [c for c in pool if c not in chosen + found and any(0 < gap(c, k) <= 1 for k in keep)
                       and _holds(need, c, context, chosen + found)]
            if len(options) > 1 and query is None:
                asking = re.split(r"(?<=[.!?])\s+", part.clause.strip())[-1]  # "… in feb 2025. when was it started"
                query = np.asarray(embed([asking])[0], dtype=np.float32)
            if options:
                found.append(max(options, key=lambda c: float(sentence_vector(index, c, embed) @ query) if query is not None else 0))
    return found


def _distance(c: Candidate, chosen: list[Candidate]) -> int:
    """How far `c` stands from the best sentence `chosen[0]`; a note stands where its marker does."""
    if c.number >= 0:
        return gap(c, chosen[0])
    return min((gap(o, chosen[0]) for o in chosen if o.number >= 0 and o.file == c.file and -c.number in o.markers),
               default=1 << 20)


def _fit(chosen: list[Candidate], needs: list[str], context: str, firm: list[Candidate] = (),
         bound: list[Candidate] = ()) -> list[Candidate]:
    """Keep the answer short: drop the weakest sentences until it fits `MAX_TOTAL_WORDS` — first those
    nothing holds (not the only holder of an asked-for fact, not `firm`: a part's answer, a list's
    item, a note dating the asked year; not `bound`: a sentence the best one cannot be read without),
    then the `bound` ones, farthest from the best sentence first, and
    never the best one — except when only `firm` sentences and the best one are left: then the best
    one goes first, the parts are the question."""
    chosen = list(chosen)

    def words() -> int:
        return sum(len(c.text.split()) for c in chosen)

    while words() > MAX_TOTAL_WORDS and len(chosen) > 1:
        def needed(c: Candidate) -> bool:
            return any(_holds(n, c, context, chosen) and not any(_holds(n, o, context, chosen) for o in chosen if o is not c)
                       for n in needs)
        loose = [c for c in chosen[1:] if not needed(c) and c not in firm and c not in bound]
        if not loose and (tied := [c for c in chosen[1:] if not needed(c) and c not in firm]):
            chosen.remove(max(tied, key=lambda c: (_distance(c, chosen), -c.score)))  # what the best one leads to stays longest
            continue
        droppable = loose or [c for c in chosen if c not in firm] or chosen[1:]
        chosen.remove(min(droppable, key=lambda c: c.score))
    return chosen


def is_list_question(question: str) -> bool:
    q = fold(question)
    return bool(re.search(r"\blist\b|\bwhat (?:\w+ )?(?:are|were) the\b|\bwhich (?:countries|ones|programs|areas|issues)\b|"
                          r"\bwhat (?:two|three|four|five|six) \b|\bwhat has .* done\b|\bwhat would .* do\b|"
                          r"\bwhat (?:sorts?|kinds?|types?) of\b|\b(?:the|its|their) (?:\d+|two|three|four|five|six|seven) "
                          r"(?:\w+ )?(?:points|principles|pillars|elements|areas|priorities|goals|proposals|measures|steps)\b|"
                          r"\b(?:two|three|four|five|six|seven|\d) (?:\w+ )?(?:reasons|factors|ways|aspects|objectives|"
                          r"challenges|lessons|motives|purposes|things)\b(?!.*\bhow many\b)|\bwhat (?:are|were) they\b", q))


def _asked_acronym(question: str, pool: list[Candidate]) -> str | None:
    """The acronym a question asks the meaning of: "what's PALM?", or, when it asks what something
    stands for, any word of it the retrieved sentences write in capitals ("jasmine stands for??")."""
    if m := _ACRONYM_Q.search(question):
        return m.group(1)
    if not _EXPANSION_Q.search(question):
        return None
    capitals = {w for c in pool for w in re.findall(r"\b[A-Z]{2,10}\b", c.text)}
    return next((w.upper() for w in re.findall(r"[A-Za-z]{2,10}", question) if w.upper() in capitals), None)


def _term_weights(index: CorpusIndex, text: str, focus: set[str] = frozenset()) -> dict[str, float]:
    """IDF of each question word over the passages: rare words say what the question is about;
    the words naming the answer's kind (`question_focus`) count `FOCUS_BOOST` times as much."""
    n = max(1, len(index.passages))
    return {t: math.log(1 + n / (1 + index.passage_df(t))) * (FOCUS_BOOST if t in focus else 1.0)
            for t in dict.fromkeys(tokens(text))}


def _captions(pool: list[Candidate]) -> dict[int, str]:
    """The caption each sentence is read under. A table row's: "Myanmar Underwater medicine (2014), …" is
    a row of "Table: Japan's Capacity Building Assistance to ASEAN Countries" and says what the caption
    says of Myanmar (rows: the short lines after the caption, without a full stop, up to its "Source:").
    A headline's that ends in a colon: "ISEAS-Yusof Ishak Institute: The State of Southeast Asia 2024:"
    names the survey the next few sentences report ("Japan remains the most trusted … (58.9%).")."""
    out: dict[int, str] = {}
    by_number = {(c.file, c.number): c for c in pool if c.number >= 0}
    for c in pool:
        if c.number < 0:
            continue
        n = c.number + 1
        if _CAPTION.match(c.text):
            while (row := by_number.get((c.file, n))) is not None and len(row.text.split()) <= TABLE_ROW_WORDS \
                    and not row.text.rstrip().endswith(".") and not row.text.startswith("Source:"):
                out[id(row)] = c.text
                n += 1
        elif _HEADLINE.match(c.text) and c.text.rstrip().endswith(":") and len(c.text.split()) <= TABLE_ROW_WORDS:
            while (line := by_number.get((c.file, n))) is not None and n <= c.number + HEADLINED_SENTENCES \
                    and not _HEADLINE.match(line.text):
                out[id(line)] = c.text
                n += 1
    return out


def _contributor_terms(index: CorpusIndex, c: Candidate) -> set[str]:
    """A sentence in a contributor's own section speaks for that contributor ("what did Ito recommend")."""
    passage = index.passage(c.passage_id) if c.number >= 0 else None
    return set(tokens(passage.author)) if passage and passage.author in index.contributors else set()


def _coverage(weights: dict[str, float], terms: set[str]) -> float:
    """The share of the question's weighted words a sentence holds."""
    return sum(w for t, w in weights.items() if t in terms) / (sum(weights.values()) or 1.0)


def _terms(text: str, focus: set[str]) -> set[str]:
    """A sentence's search terms, plus each focus term it holds as a word's start: the question's
    "chairing" (stem `chair`) is the sentence's "Chairman"."""
    terms = set(tokens(text))
    return terms | {f for f in focus if len(f) >= 4 and any(t.startswith(f) for t in terms)}


def _greedy(pool: list[Candidate], weights: dict[str, float], listing: bool) -> list[Candidate]:
    """The best sentence, then ones that add uncovered question words or continue a chosen one."""
    best = pool[0]
    chosen = [best]
    covered = set(best.terms) & set(weights)
    words = len(best.text.split())
    limit = MAX_SENTENCES + (3 if listing else 0)
    if best.text.rstrip().endswith(":"):  # "…several achievements:" — its list items come first
        by_number = {c.number: c for c in pool if c.file == best.file}
        n = best.number + 1
        while n in by_number and len(by_number[n].text.split()) <= 30 and len(chosen) < limit + 2:
            chosen.append(by_number[n])
            covered |= by_number[n].terms & set(weights)
            words += len(by_number[n].text.split())
            n += 1
    for c in pool[1:]:
        if len(chosen) >= limit or c.score < 0.5 * best.score:
            break
        n = len(c.text.split())
        if words + n > MAX_WORDS:
            continue
        new = (c.terms & set(weights)) - covered
        gain = sum(weights[t] for t in new)
        if any(repeats(c, o) for o in chosen):
            continue
        adjacent = any(gap(c, o) == 1 for o in chosen)
        introduced = any(c.file == o.file and 0 < c.number - o.number <= 6 and o.text.rstrip().endswith(":")
                         for o in chosen)
        if gain >= 1.0 or introduced or (adjacent and c.score >= (0.55 if listing else 0.75) * best.score):
            chosen.append(c)
            covered |= new
            words += n
    return chosen


def question_needs(question: str) -> list[str]:
    """The kinds of fact the question asks for: date, number, amount, percent, place, ordinal, person,
    frequency, and the soft ones (reason, recommendation)."""
    q = fold(question)
    needs = []
    if re.search(r"\bwhen\b(?! it comes to)|\bwhat (?:year|month|date)\b|\bwhich (?:year|month)\b|\bhow long ago\b", q):
        needs.append("date")
    if re.search(r"\b(?:what|which) month\b|\bmonth and year\b", q):
        needs.append("month")
    if re.search(r"\bhow many\b|\bnumber of\b|\bhow (?:far|much) (?:ahead|behind|more|less|higher|lower)\b|"
                 r"\bby how much\b|\bwhat margin\b", q):
        needs.append("number")
    if re.search(r"\bhow much\b|\b(?:total )?(?:value|cost|price|amount|budget|worth)\b", q):
        needs.append("amount")
    if re.search(r"\bwhat percent|\bpercentage\b|\bwhat share\b|\bhow many percent", q):
        needs.append("percent")
    if (re.search(r"\bwhere\b(?! does| did .* (?:come|say))", q) and not re.search(r"\bwhere\b.* from\W*$", q)) or re.search(
            r"\b(?:what|which) (?:city|country|town|venue|location|island|capital)\b", q):
        needs.append("place")
    if re.search(r"\bwhich (?:edition|round|session|iteration|installment|instalment)\b|\bhow many times\b", q):
        needs.append("ordinal")  # "which edition was it?": the 8th
    if (re.search(r"\bwho\b|\bwhom\b", q) and not re.search(r"\bwhose (?:phrase|words)\b", q)) or _NAMED_ROLE_Q.search(q):
        needs.append("person")
    if re.search(r"\bhow (?:often|frequently|regularly)\b", q):
        needs.append("frequency")
    if re.search(r"\bwhy\b", q):
        needs.append("reason")
    # the verbs: "what did they propose"; not the noun ("when was the policy proposal published")
    if re.search(r"\b(?:recomm?end|propos(?:e|es|ed|ing)\b|suggest|advis|advocat|urg(?:e|es|ed)\b|call(?:s|ed)? for)", q):
        needs.append("recommendation")
    return needs


def _holds(need: str, c: Candidate, question: str, chosen: list[Candidate], on_topic: bool = False) -> bool:
    """Does sentence `c` state the kind of fact asked for — something the question does not already
    say, in a sentence on the question's topic (`on_topic`: the caller has judged that) or right
    next to one that is?"""
    if c.number < 0 and is_bibliographic(c) and not _TITLE_Q.search(question):
        return False  # a reference's dates and places are its publication's, not the event's (unless asked); a note
        # that explains ("The JPIDD, hosted by the JMOD, is …") states facts like the text does
    if c.signed:
        return need == "person"  # "(Hideshi Tokuchi)": who wrote the section
    near = any(0 < gap(c, o) <= 2 for o in chosen)
    if c.coverage < 0.2 and not near and not on_topic:
        return False
    if need == "person" and _PARTNER_Q.search(question) and _partner_named(c, question):
        return True
    if need == "person" and (role := _NAMED_ROLE_Q.search(fold(question))) and not set(tokens(role.group(1))) & c.terms:
        return False  # "the name of the Vietnamese scholar": a name beside "scholar", not a minister's next door
    if need == "person":  # a role or title, and a name the question does not already give
        asked_terms = set(tokens(question))
        for role in _ROLE.finditer(c.text):  # a name right next to the role: "H.E. Prabowo", "Minister … Kihara"
            before = c.text[: role.start()].split()[-2:]
            after = c.text[role.end():].split()[:3]
            for m in _CAPITALISED.finditer(" " + " ".join(before + ["·"] + after)):
                if (not set(tokens(m.group())) <= asked_terms and not _ROLE.fullmatch(m.group())
                        and not re.fullmatch(_MONTHS, m.group())):
                    return True
        if any(set(tokens(m.group(1))) <= asked_terms and not set(tokens(m.group(2))) <= asked_terms
               for m in _AGENT.finditer(c.text)):
            return True  # "who hosts it?" — "hosted by the JMOD": the body doing what the question asks
        return bool(re.search(r"\b(?:by|as) the (?:\w+ )?(?:vice-?\s?minister|minister|secretary|president|chairman)", c.text, re.I))
    if need in ("reason", "recommendation", "frequency"):
        return bool({"reason": _REASON, "recommendation": _RECOMMENDS, "frequency": _FREQUENCY}[need].search(c.text))
    if need == "place" and _COUNTRY_Q.search(question) and _partner_named(c, question):
        return True
    pattern = {"date": _DATE, "month": _MONTH, "number": _NUMBER, "amount": _AMOUNT, "percent": _PERCENT,
               "place": _PLACE, "ordinal": _ORDINAL}[need]
    asked = fold(question)
    measured = _measured(question) if need in ("number", "amount") else set()
    if measured and not measured <= c.terms:
        return False  # "value of the yen loan" needs a sentence about the loan, not any sum in yen
    given = set(asked.replace(".", " ").split())  # "Dec 2013" in the question gives "December 2013" too
    total = need == "number" and _TOTAL_Q.search(asked)
    return any(fold(m.group()).split()[-1] not in asked and fold(m.group()).rstrip(".")[:3] not in given
               and not (total and _PART_OF.search(c.text[max(0, m.start() - 12):m.start()]))
               for m in pattern.finditer(c.text))


# "what's the name of the scholar …": a person asked for by role
_NAMED_ROLE_Q = re.compile(r"\bname of (?:the|that|this) (?:\w+ )?(scholar|author|minister|official|researcher|expert|person|"
                           r"analyst|professor|officer|commander|ambassador|leader|chair\w*|spokes\w*)\b", re.IGNORECASE)
# "which country …?", "who else should Tokyo do deals with?": a country named as a party — "… with Australia
# and should seek similar accords with Britain and France"
_COUNTRY_Q = re.compile(r"\b(?:what|which) (?:other )?(?:country|countries|nations?|partners?)\b", re.IGNORECASE)
_PARTNER_Q = re.compile(r"\bwith\W*$|\bwith whom\b|\bwho else\b", re.IGNORECASE)
_PARTNER = re.compile(r"\b(?:with|and|between|including|like|such as)\s+(?:the\s+)?([A-Z][a-z][\w-]+)")


def _partner_named(c: Candidate, question: str) -> bool:
    asked = set(tokens(question))
    return any(not set(tokens(m.group(1))) <= asked for m in _PARTNER.finditer(c.text))


_AGENT = re.compile(r"\b([a-z]+ed|led|run|held|built|made|written) by (?:the )?((?:[A-Z][\w.’'-]*\s?){1,4})")
_RANKED_AFTER = re.compile(r"\b(?:following|after|behind|ahead of)\s+(?:the\s+)?((?:[A-Z][\w.-]*\s?){1,3})")
_SUBJECT = re.compile(r"^\W*(?:\d+\.\s*)?(?:The\s+)?((?:[A-Z][\w’'.-]*\s*)+)")


def _front_matter_title(index: CorpusIndex, c: Candidate) -> bool:
    """A subtitle or a contents line before a document's first heading ("Japan-ASEAN Defense Forum;
    US-Japan-South Korea Meeting"): every longer word capitalised, no full stop. The same shape in
    a section is often a list item ("Japan-ASEAN WPS Cooperation Program (October 2024)"), kept."""
    passage = index.passage(c.passage_id) if c.number >= 0 else None
    if passage is None or passage.section or c.text.rstrip().endswith((".", "!", "?", ":")):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", c.text) if len(w) >= 4]
    return bool(words) and all(w[0].isupper() for w in words)


def _names_entity(c: Candidate, question: str) -> bool:
    """Is sentence `c` about a named country, body or person the question does not name — its
    subject ("The US comes in a distant second", "The Sasakawa Peace Foundation launched …")?
    Only for a sentence already judged to answer: "who came second?" may be answered by a country,
    which has no title to show it is a "who"."""
    asked = set(tokens(question))
    # "who does ASEAN come after?" — "…one of the most important partners, following South Korea and Australia"
    if any(not set(tokens(m.group(1))) <= asked for m in _RANKED_AFTER.finditer(c.text)):
        return True
    match = _SUBJECT.match(c.text)
    if not match:
        return False
    name = match.group(1).strip()
    if not tokens(name.split()[0]) or _ROLE.search(name) or re.match(_MONTHS, name):
        return False  # "In November …", "He …", "Minister …": a phrase, a pronoun or a title leads
    return not set(tokens(name)) <= asked


def _measured(question: str) -> set[str]:
    """What a "how many X" / "value of the X" question counts or prices: X's head noun (the phrase's
    last word — "how many outside partners" is answered by "its eight dialogue partners"); for money
    spent on something, that thing's words."""
    q = fold(question)
    m = re.search(r"\bhow many ([a-z-]+(?: [a-z-]+)?)|\b(?:value|cost|price|amount|budget|worth|size) of (?:the |a |an )?"
                  r"([a-z-]+(?: [a-z-]+)?)", q)
    if m:
        return set(tokens(m.group(1) or m.group(2))[-1:])
    # "how much has Japan budgeted for Official Security Assistance": what the money is for, every word
    m = re.search(r"\b(?:budget(?:ed)?|spen[dt]|spending|allocat(?:e|ed)|earmark(?:ed)?|pa(?:y|id)) (?:on|for) (?:the |a |an |its )?"
                  r"([a-z-]+(?: [a-z-]+){0,2})", q)
    return set(tokens(m.group(1))) if m else set()


def _compared_figures(question: str, needs: list[str], chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """A comparison of figures ("how far ahead of the US is Japan on trust?", "how far behind Japan
    is the US?") is answered by a figure for each side: for each side named — the one compared
    against and the others the question names — that no chosen sentence gives a figure for, the
    sentence beside a chosen one that does ("The US comes in a distant second (42.4%) …")."""
    m = _COMPARED.search(question)
    if m is None or ("number" not in needs and "percent" not in needs):
        return []
    names = re.finditer(r"(?<!^)(?<![.?!] )\b[A-Z][A-Za-z’'-]+", question.strip())  # "the US", "Japan", "ISEAS"
    sides = [set(tokens(m.group(1)))] + [set(tokens(n.group())) for n in names]
    found: list[Candidate] = []

    def gives(c: Candidate, side: set[str]) -> bool:
        return c.number >= 0 and side <= c.terms and bool(re.search(r"\d", c.text))

    for side in sides:
        if not side or any(gives(c, side) for c in chosen + found):
            continue
        extra = next((c for c in pool if c not in chosen + found and gives(c, side)
                      and any(0 < gap(c, o) <= 2 for o in chosen)), None)
        if extra is not None:
            found.append(extra)
    return found


def _qualified(question: str, figure: str) -> set[str]:
    """The word a figure in the question qualifies: "the 2013 NSS" → nss. A sentence giving the NSS's
    year states it wherever it stands ("The National Security Strategy (NSS), issued in December 2013")."""
    m = re.search(rf"(?<![\d.]){re.escape(figure)}(?![\d.])\s+([\w-]+)", question)
    return set(tokens(m.group(1))) if m else set()


def _asked_figures(question: str) -> set[str]:
    """The years and figures a question names ("the June 2024 program", "58.9%"): an answer must state them."""
    return {n for n in numbers(question) if len(n) == 4 or "." in n}


def _abstain_reason(question: str, context: str, chosen: list[Candidate], needs: list[str],
                    threshold: float, answers: list[Candidate] = (), dated: str = "") -> str | None:
    """Why the chosen evidence does not answer the question, or None. `answers`: the sentences
    judged to answer the question or one of its parts (the best one, each part's answer); `dated`:
    the titles and dates of their documents ("the 2023 meeting" is the one a 2023 release reports)."""
    top = chosen[0].score if chosen else 0.0
    if top < threshold:
        return f"no passage is close enough to the question (best support {top:.2f} < {threshold:.2f})"
    # "when and where is the first seminar held?": the date must be the first seminar's — from the sentence
    # saying "the first seminar", or one beside it — not another event's in another chosen sentence
    asked = list(ordinals(question).values())
    which = [c for c in chosen if any(states_ordinal(c.text, o, question) for o in asked)]
    lead = chosen[0] if chosen else None

    def on_topic(c: Candidate) -> bool:
        """The fact must be the topic's: stated by an answering sentence, one beside it, one nearly as much
        on the question ("who chaired the 14th forum?" is not answered by who met in Munich four paragraphs
        on), or the author line of the section the answer stands in."""
        return (c in answers or c.signed or any(gap(c, a) <= 2 for a in answers) or c.number < 0
                or c.coverage >= HOLDER_SHARE * lead.coverage)
    for need in needs:
        holders = [c for c in chosen if _holds(need, c, context, chosen) and on_topic(c)]
        if which and need in ("date", "place"):
            holders = [c for c in holders if any(gap(c, w) <= 1 for w in which)]
        if need in SOFT_NEEDS or holders:
            continue
        if need == "person" and any(_names_entity(c, context) for c in answers):
            continue  # "who came second?" — "The US comes in a distant second": a country answers it
        return f"the passages found do not state the {need} asked for"
    text = " ".join(c.text for c in chosen)
    # the years and figures asked must be the answer's too, as the facts asked are; a caption's count
    # ("The State of Southeast Asia 2024:" dates its lines)
    topical = [c for c in chosen if on_topic(c)]
    stated = " ".join(c.text for c in topical) + " " + " ".join(t for c in topical for t in c.borrowed)
    missing = {f for f in _asked_figures(question) - numbers(f"{stated} {dated}")  # …or said of what the question
               if not any(f in numbers(c.text) and _qualified(question, f) & c.terms for c in chosen)}  # says it of
    if missing:
        return f"nothing found about {', '.join(sorted(missing))}"
    for word, ordinal in ordinals(question).items():  # "the very first meeting" is not answered by the 2nd
        if not ordinal.search(fold(text)):
            return f"the passages found do not say which was the {word}"
    return None

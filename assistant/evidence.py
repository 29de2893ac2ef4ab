"""Evidence first: choose the sentences that answer the question, or decide that none do.

Candidates (`candidates.py`) are the sentences of the retrieved units, with offsets into the file. Each is
scored by meaning (cosine to the question), by the share of the question's weighted words it holds
(`weights.py`) and by its unit's retrieval rank. Selection is greedy: the best sentence, then sentences
that cover question words still uncovered. Then what the question asks must be there: each part of a
multi-part question its own answer (`part_answers.py`), and the kind of fact asked for — a date for
"when", a number for "how many" (`needs.py`) — or the assistant abstains. Sentences the chosen ones
cannot be read without (a list's items, a "However, …" that follows) come from `companions.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.candidates import (Candidate, biography, candidates, gap, is_bibliographic, paragraph_notes, repeats,
                                  restatement, sentence_vector, signature)
from assistant.companions import (companions, dating_notes, explaining_notes, follow_through, glossed_items, list_items,
                                  other_periods, said_on_topic, series_clauses, states_ordinal)
from assistant.index import CorpusIndex
from assistant.question import Part, occasion_terms, question_focus
from assistant.retrieve import DEFINES, DEFINITION_Q, Hit
from assistant.needs import (SOFT_NEEDS, SOURCE_WORDS, TITLE_Q, abstain_reason, asked_figures, compared_figures,
                             dated_notes, holds, question_needs, wants_source)
from assistant.part_answers import beside_parts, cover_parts
from assistant.text import INTRODUCES, fold, numbers, ordinals, tokens
from assistant.weights import NAMED_BONUS, coverage, sentence_terms, term_weights

MAX_SENTENCES = 4
MAX_WORDS = 110  # what the greedy pass fills
MAX_TOTAL_WORDS = 120  # the whole extractive answer, after facts fetched for a question's parts
SERIES_TOTAL_WORDS = 145  # …when the answer is one long sentence's series of items: cutting one item loses a fact asked
SOURCE_LEAD_SHARE = 0.6  # how close to the question a noted claim must be to lead a source question's answer
FIGURE_SHARE = 0.7  # how close to the question a sentence stating its missing year must be (share of the best's score)
SHOWN_WEIGHT = 0.8  # a sentence the previous answer cited, in a follow-up that asks for more
OCCASION_WEIGHT = 0.5  # a word of the occasion the question ends on ("…when he spoke to the ministers")
TABLE_ROW_WORDS = 25
HEADLINED_SENTENCES = 3  # sentences after a "Label: Title:" headline read under it
_BARE_LINK = re.compile(r"\s*<?https?://\S+>?\s*(?:\([^)]*\))?\s*$")  # a line that is only a link
# "Naval News: Japan launches …", "Table: Japan's Capacity Building …", "Hub Story: …": a headline, caption or
# heading of the form "Label: Title" (no full stop) — it names a text, it does not say anything
_HEADLINE = re.compile(r"^\s*[-*]?\s*[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*){0,4}: (?:[^.!?\n]|\.(?=\w))*$")
# "the newsletter's links", "which headline …": then a "Naval News: Japan launches …" line is the answer
_HEADLINES_Q = re.compile(r"\blinks?\b|\bheadlines?\b|\bnews\b|\broundup\b|\breading list\b", re.IGNORECASE)
_CAPTION = re.compile(r"^\s*(?:Table|Figure|Chart)\s*\d*\s*[:.]\s+\S", re.IGNORECASE)
# "Phone: +81-3-… | URL: <…>", or a postal code: "Minato-ku, Tokyo 105-8524, Japan"
# a street address: "The Sasakawa Peace Foundation Bldg. 1-15-16"
_CONTACT = re.compile(r"\b(?:Phone|Telephone|Tel|Fax|E-?mail|URL)(?:\s*\([\w ]{1,20}\))?\s*:|\b\d{3}-\d{4}\b(?!-)|"
                      r"\bBldg\.|(?<![\d-])\d{1,2}-\d{1,2}-\d{1,2}(?![\d-])", re.IGNORECASE)
# "what's PALM?", "what does OSA stand for?": an acronym asked about is answered where it is spelt out
_ACRONYM_Q = re.compile(r"\b(?i:what(?:'s|’s|s| is| are| was| does| do)\s+(?:the\s+)?)['‘\"“]?([A-Z]{2,6})s?\b")
# "jasmine stands for??", "full name of the EWG": an acronym asked about in any case
_EXPANSION_Q = re.compile(r"\bstands? for\b|\bshort for\b|\bacronym\b|\babbreviat\w*|\bfull (?:name|form)\b|\bspel(?:t|led) out\b",
                          re.IGNORECASE)
# "who wrote the civilian control proposal?": in an edited report, the section's signed author
_AUTHOR_Q = re.compile(r"\bwho (?:wrote|authored|drafted|penned|was behind|is behind|came up with|proposed|suggested)\b|"
                       r"\bwhose idea\b|\bwho(?:'s| is| was) the author\b|"
                       r"\bwhose (?:proposal|section|chapter|recommendation|contribution)\b|\bwritten by whom\b", re.IGNORECASE)
# "what's his background?", "who is she?": who a contributor is, which an author list says
_BACKGROUND_Q = re.compile(r"\bbackground\b|\bwho (?:is|was) (?:he|she|that|this)\b|\bwhat (?:does|did) (?:he|she) do\b|"
                           r"\b(?:his|her) (?:role|position|job|title|affiliation|career|credentials|experience)\b|"
                           r"\bwhere (?:does|did) (?:he|she) work\b", re.IGNORECASE)
_DISCLAIMER = re.compile(r"\bviews expressed\b|\ball rights reserved\b|\bunauthori[sz]ed (?:reproduction|copying)\b|"
                         r"\b(?:report|paper|article) (?:is|was) originally published\b|"
                         r"\bwhen quoting\b|\bplease cite\b|\bBldg\.|"
                         r"\bdo(?:es)? not (?:necessarily )?(?:represent|reflect) the (?:official )?(?:views?|position)", re.IGNORECASE)
_DISCLAIMER_Q = re.compile(r"\bviews?\b|\bofficial\b|\bposition\b|\breproduc|\bcopy|\bcopyright|\bdisclaim|\bpublish|"
                           r"\boriginal|\blanguage|\btranslat", re.IGNORECASE)
_BOTH = re.compile(r"\b(?:both|each|compar\w*|differ\w*|versus|vs\.?|contrast\w*)\b", re.IGNORECASE)  # documents compared


_GENERIC_DEFINED = frozenset(tokens("term concept phrase word notion idea"))  # "This term refers to …"
DEFINED_SHARE = 0.15  # of the question's weighted words, in what a sentence defines, to count as defining it


def _defines_asked(text: str, weights: dict[str, float]) -> bool:
    """Does `text` define what the question asks about? "Multilayered security cooperation functionally
    consists of …" answers "what does he mean by 'multilayered' security cooperation?"; "Capacity building
    assistance is defined as …" three sentences on does not, though it shares "building". A definition
    led by a pronoun ("It refers to …") is taken to define the topic its paragraph is on."""
    match = DEFINES.search(text)
    if not match:
        return False
    defined = set(tokens(" ".join(text[: match.start()].split()[-8:]))) - _GENERIC_DEFINED  # tokens() drops "It"
    return not defined or coverage(weights, defined) >= DEFINED_SHARE


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
    weights = term_weights(index, context, focus_terms)
    for t in occasion_terms(question) & weights.keys():  # "…when he spoke to the ASEAN ministers": the speech's,
        weights[t] *= OCCASION_WEIGHT  # not the answer's words
    if source:  # "which source backs …": the claim's words find the claim; "source" itself is the question's frame
        weights = {t: w for t, w in weights.items() if t not in SOURCE_WORDS} or weights
    focus = set(tokens(question))
    query = np.asarray(q_vector, dtype=np.float32)
    titles = {fold(t) for t in [d.title for d in index.docs.values()] + sorted(index.headings)}
    defining = bool(DEFINITION_Q.search(question))
    short = _asked_acronym(question, pool)
    # spelt out: "Official Security Assistance (OSA)", "JASMINE (Japan-ASEAN …)"; or explained: "PALM is …" —
    # which is not what "what does X stand for?" asks
    spelt = re.compile(rf"\(\s*{short}\s*\)|\b{short}\b[”\"]?\s*\(\s*[A-Z]" + (
        "" if _EXPANSION_Q.search(question) else rf"|\b{short}\b[”\"]?\s+(?:is|are|refers|means|stands)\b")) if short else None
    titles_asked = bool(TITLE_Q.search(question))
    headlines_asked = bool(_HEADLINES_Q.search(question))  # "…link roundup: what did japan just launch?"
    named = index.named_documents(tokens(context))  # "the Sasakawa report": its own words first
    captions = _captions(pool)
    for c in pool:
        c.terms = sentence_terms(f"{c.text} {index.spelt_out(c.file, c.text)}", focus_terms)
        c.borrowed = (sentence_terms(captions[id(c)], focus_terms) if id(c) in captions else set()) - c.terms
        c.terms |= c.borrowed | _contributor_terms(index, c) | (index.compound_heads(c.terms) & weights.keys())
    speakers = _speaker_names(index, pool)  # "He also pointed out …" is Kihara's, as the reader knows
    for c in pool:
        names = speakers.get(id(c), set())
        c.borrowed |= names - c.terms
        c.terms |= names
    cited = [c for c in pool if (c.file, c.start) in shown]
    seen = {id(c) for c in pool if any(repeats(c, o) for o in cited)}  # the lead's own restatement was read too
    for c in pool:
        c.coverage = coverage(weights, c.terms)
        own = sum(weights.get(t, 0) for t in focus & c.terms) / (sum(weights.get(t, 0) for t in focus) or 1.0)
        vector = sentence_vector(index, c, embed)
        sim = float(vector @ query) if vector.shape == query.shape else 0.0
        c.score = 0.45 * sim + 0.35 * c.coverage + 0.15 * own + 0.05 / (1 + c.unit) + (NAMED_BONUS if c.file in named else 0)
        if defining and _defines_asked(c.text, weights):
            c.score += 0.2  # "X is defined as …", "X refers to …" answers "how is X defined"
        if spelt is not None and spelt.search(c.text):
            c.score += 0.2  # "Official Security Assistance (OSA)" answers "what's OSA?"
        if _DISCLAIMER.search(c.text) and not _DISCLAIMER_Q.search(question):
            c.score *= 0.5  # "The views expressed in this report are those of the authors …", "When quoting, please
            # cite this report", an address line: the publisher's boilerplate says nothing on the topic
        if not source and not titles_asked and is_bibliographic(c):
            c.score *= 0.5  # a bibliographic note answers "what is the source", not the question itself
        if id(c) in seen and not source:
            c.score *= SHOWN_WEIGHT  # "and who built that alignment?": not the sentence the reader just read
        folded = fold(c.text).strip(" .")
        if (len(c.text.split()) < 4 or any(folded in t for t in titles) or _BARE_LINK.match(c.text)
                or _CONTACT.search(c.text) or _front_matter_title(index, c)
                or (c.number >= 0 and len(c.text.split()) <= 25 and _HEADLINE.match(c.text) and not headlines_asked)):
            c.score = -1.0  # a heading, a contents line, the title or an address line answers nothing
    everything = pool  # list items are read in order, headings included
    pool = sorted((c for c in pool if c.score > -1.0), key=lambda c: -c.score)
    if not pool:
        return Selection([], "nothing relevant was retrieved", source, 0.0)
    listing = is_list_question(question)
    chosen = _greedy(pool, weights, listing)
    named_best: list[Candidate] = []
    items: list[Candidate] = []
    limit = MAX_TOTAL_WORDS
    if listing:  # "what would the centre do?": the sentence after the topic sentence holds the list
        after = next((c for c in pool if c.file == chosen[0].file and c.number == chosen[0].number + 1), None)
        if after is not None and after not in chosen:
            chosen.insert(1, after)
        if not any(INTRODUCES.search(c.text) for c in chosen):  # "… outlined the following three principles."
            intro = next((c for c in pool if INTRODUCES.search(c.text) and c.score >= 0.6 * chosen[0].score
                          and (c.terms & focus_terms if focus_terms else c.coverage >= 0.3)), None)  # a list of what was asked
            if intro is not None:
                chosen.insert(1, intro)
        # the best clause is one item of a series ("…the followings: the holding of the first seminar …;"): that
        # series is the list asked for, not another list the greedy pass touched
        # — when items are what it asks: "which minister proposed the four pillars?" asks who, and the series
        # would crowd out the sentence naming him
        asks_items = not [n for n in question_needs(question) if n not in SOFT_NEEDS]
        series = series_clauses(question, chosen[:1], everything) if asks_items else []
        items = series or list_items(chosen, everything)
        if asks_items:  # …or a series another chosen sentence is ("7. Under these four pillars, Japan … announced …")
            more = [c for c in series_clauses(question, chosen + items, everything) if c not in items]
            items += more
            series += more
        if series:  # room for the whole series, and no more
            limit = min(SERIES_TOTAL_WORDS, max(MAX_TOTAL_WORDS, sum(len(c.text.split()) for c in series)))
        chosen += [c for c in items if c not in chosen]
    explained = [n for n in explaining_notes(chosen, pool) if n not in chosen]  # what its sentence means
    chosen += explained
    if len(named) > 1 and (_BOTH.search(question) or _named_together(index, question) or _named_apart(index, question)):  # "…in both the Sasakawa report
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
        if not any(holds(need, c, context, chosen) for c in chosen):
            extra = next((  # "… chose ASEAN for his first trip." "In January he visited Vietnam …": the best one goes on
                c for c in pool if chosen[0].number >= 0 and c.file == chosen[0].file and c.number == chosen[0].number + 1
                and c not in chosen and holds(need, c, context, chosen)), None) or next((
                c for c in pool if c not in chosen and c.score >= 0.5 * chosen[0].score and holds(need, c, context, chosen)), None)
            if extra is None and need == "ordinal":  # "which round was the june 2024 program?" — a note's title says
                extra = next((n for n in dated_notes(question, pool, lambda n: n.score)
                              if n not in chosen and holds(need, n, context, chosen)), None)
            if extra is not None and len(chosen) < MAX_SENTENCES + 1:
                chosen.append(extra)
    bound = companions(question, chosen, pool) + named_best  # what the best sentence leads to, who its "he" is: the
    # length limit drops them only after every loose sentence
    chosen += [c for c in bound if c not in chosen]
    keep = cover_parts(index, question, parts, pool, chosen, embed)
    if keep:  # a part's answer may refer back too: "…concluded in March of the same year" ← "In 2015, …"
        more = [c for c in companions(question, chosen, pool, keep) if c not in chosen]
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
        people = [signed.text.strip("()")] if signed is not None else []
        people += [n for n in index.contributors if set(tokens(n)) & asked and n not in people]
        for name in people[:2]:
            bio = biography(index, name, (signed or chosen[0]).file, chosen[0].unit, chosen[0].score)
            if bio is not None and not any(c.start == bio.start for c in chosen):
                chosen.append(bio)
                bios.append(bio)
    # "the first-ever seminar": the sentence saying which one — an answer, as a part's is: "where did the 5th
    # vice-ministers meeting take place?" is answered beside "the fifth meeting was held …", not by the 8th's
    which: list[Candidate] = []
    saying: list[Candidate] = []
    for ordinal in ordinals(question).values():
        which += [c for c in chosen if c not in which and states_ordinal(c.text, ordinal, question)]
        if not any(states_ordinal(c.text, ordinal, question) for c in chosen):
            extra = next((c for c in pool if c not in chosen and c.score >= 0.5 * chosen[0].score
                          and states_ordinal(c.text, ordinal, question)), None)
            if extra is None:  # "Abe floated a first … meeting": the lead's own telling elsewhere, in any words
                extra = restatement(index, chosen[0], lambda text, o=ordinal: bool(o.search(fold(text))))
                if extra is not None:
                    extra = next((c for c in everything if (c.file, c.start) == (extra.file, extra.start)), extra)
                    extra.terms = extra.terms or sentence_terms(extra.text, focus_terms)
                    extra.coverage = extra.coverage or coverage(weights, extra.terms)
            if extra is not None:
                chosen.append(extra)
                which.append(extra)
                saying.append(extra)  # without it the answer cannot say which: kept like a part's answer
    figures = compared_figures(question, needs, chosen, pool)  # "how far ahead of the US is Japan?": the US's figure too
    chosen += figures
    bound += figures
    dates = dating_notes(asked_figures(question) - numbers(" ".join(c.text for c in chosen if c.number >= 0)), chosen, pool)
    chosen += dates  # they state the year the question names: kept like a part's answer
    stating = _stating(asked_figures(question), chosen, pool)
    chosen += stating  # "…the June 2024 ship rider program": the line saying "(June 2024)", kept likewise
    glossed = glossed_items(question, chosen, everything)  # "(2) pertains to … climate change": what the 2nd is
    chosen += [c for c in glossed if c not in chosen]
    # "…co-chaired over the years?": each term's sentence — unless a list already is the record ("what has japan
    # done so far under JASMINE?": the newsletter's list, not a forum's date besides)
    periods = [] if items else other_periods(question, weights, chosen, pool)
    chosen += periods
    said = said_on_topic(question, weights, chosen, pool)  # "what did they say on deterrence?": all of it
    chosen += said
    outcome = [c for c in follow_through(question, chosen, pool) if c not in chosen]  # "…was it ever held?": when it was
    chosen += outcome
    firm = keep + items + dates + bios + stating + glossed + periods + said + saying + outcome
    chosen = _fit(chosen, needs, context, firm, bound + explained, limit)
    beside = beside_parts(index, parts, keep, chosen, pool, context, embed)
    if beside:
        chosen = _fit(chosen + beside, needs, context, firm + beside, bound + explained, limit)
    if source and chosen[0].number >= 0:  # "where does aizawa get the four pillars from?": her claim leads, one
        # carrying a note if one is close enough, and its note is quoted (`compose.build_evidence`)
        close = [c for c in chosen if c.number >= 0 and c.score >= SOURCE_LEAD_SHARE * chosen[0].score]
        close = [c for c in close if c.file in named] or close
        claim = max([c for c in close if paragraph_notes(index, c)] or close, key=lambda c: c.score)
        chosen.remove(claim)
        chosen.insert(0, claim)
    which = [c for c in which if c in chosen]
    if which and chosen[0] not in which:  # "the 5th meeting": the sentence saying which leads, not the 8th's
        chosen.remove(which[0])
        chosen.insert(0, which[0])
    lead = chosen[0]  # the best sentence first, the rest in reading order, a note right after the sentence carrying it
    carrier = {(c.file, m): (c.unit, c.number) for c in reversed(chosen) if c.number >= 0 for m in c.markers}

    def reading_order(c: Candidate) -> tuple:
        if c is lead:
            return (-1, "", 0, 0)
        unit, number = carrier.get((c.file, -c.number), (c.unit, c.number)) if c.number < 0 else (c.unit, c.number)
        return (unit, c.file, number + (0.5 if c.number < 0 else 0), c.start)  # a sentence's clauses in order
    chosen.sort(key=reading_order)
    unknown = index.unknown_names(question)
    dated = " ".join(f"{d.title} {d.date or ''} {f.replace('-', ' ')}"  # a file name dates an undated newsletter
                     for f, d in ((f, index.docs.get(f)) for f in {c.file for c in chosen}) if d)
    reason = (f"nothing in the corpus mentions {', '.join(unknown)}" if unknown
              else abstain_reason(question, context, chosen, needs, threshold,
                                keep + [lead] + stating + which, dated))
    required = [lead] + [c for c in chosen if c is not lead and (listing or c in keep or c in bound or any(
        holds(n, c, context, chosen) for n in needs if n not in SOFT_NEEDS))]  # a list keeps every item
    return Selection(chosen, reason, source, pool[0].score, required, keep)


def _stating(asked: set[str], chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """For each year or figure the question names that no close chosen sentence states, the best
    sentence that does, when it is close too — `FIGURE_SHARE` of the best's score: the question's
    figure says which event or item it is about, and a far-off sentence stating it is about another."""
    floor = FIGURE_SHARE * chosen[0].score
    missing = asked - numbers(" ".join(c.text for c in chosen if c.score >= floor))
    found: list[Candidate] = []
    for figure in sorted(missing):
        extra = next((c for c in pool if c not in chosen + found and c.score >= floor and figure in numbers(c.text)),
                     None)
        if extra is not None:
            found.append(extra)
    return found


def _named_together(index: CorpusIndex, question: str) -> bool:
    """Does the question join two documents' names ("aizawa and shoji", "the SPF report & the MOD release")?"""
    for m in re.finditer(r"([\w'’-]+)\s+(?:and|&)\s+(?:the\s+)?([\w'’-]+)", question):
        first, second = index.named_documents(tokens(m.group(1))), index.named_documents(tokens(m.group(2)))
        if first and second and first != second:
            return True
    return False


def _named_apart(index: CorpusIndex, question: str) -> bool:
    """Does a statement name one document and the question after it another ("Shoji says Japan co-chaired …
    in its first term. Which group is it co-chairing now according to the 2025 newsletter?")?"""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", question.strip()) if s]
    named = [index.named_documents(tokens(s)) for s in sentences]
    return any(a and b and not a & b for i, a in enumerate(named) for b in named[i + 1:])


def _distance(c: Candidate, chosen: list[Candidate]) -> int:
    """How far `c` stands from the best sentence `chosen[0]`; a note stands where its marker does."""
    if c.number >= 0:
        return gap(c, chosen[0])
    return min((gap(o, chosen[0]) for o in chosen if o.number >= 0 and o.file == c.file and -c.number in o.markers),
               default=1 << 20)


def _fit(chosen: list[Candidate], needs: list[str], context: str, firm: list[Candidate] = (),
         bound: list[Candidate] = (), limit: int = MAX_TOTAL_WORDS) -> list[Candidate]:
    """Keep the answer short: drop the weakest sentences until it fits `limit` words — first those
    nothing holds (not the only holder of an asked-for fact, not `firm`: a part's answer, a list's
    item, a note dating the asked year; not `bound`: a sentence the best one cannot be read without),
    then the `bound` ones, farthest from the best sentence first, and
    never the best one — except when only `firm` sentences and the best one are left: then the best
    one goes first, the parts are the question."""
    chosen = list(chosen)

    def words() -> int:
        return sum(len(c.text.split()) for c in chosen)

    while words() > limit and len(chosen) > 1:
        def needed(c: Candidate) -> bool:
            return any(holds(n, c, context, chosen) and not any(holds(n, o, context, chosen) for o in chosen if o is not c)
                       for n in needs)
        loose = [c for c in chosen[1:] if not needed(c) and c not in firm and c not in bound]
        if not loose and (tied := [c for c in chosen[1:] if not needed(c) and c not in firm]):
            chosen.remove(max(tied, key=lambda c: (_distance(c, chosen), -c.score)))  # what the best one leads to stays longest
            continue
        droppable = loose or [c for c in chosen if c not in firm] or chosen[1:]
        chosen.remove(min(droppable, key=lambda c: c.score))
    return chosen


_LIST_Q = re.compile(
    r"\blist\b|\bwhat (?:\w+ )?(?:are|were) (?:the|its|their)\b|\bwhat (?:are|were) they\b|"
    r"\bwhich (?:countries|ones|programs|areas|issues)\b|\bwhat (?:two|three|four|five|six) \b|\bwhat has .* done\b|"
    r"\bwhat would .* do\b|\bwhat (?:sorts?|kinds?|types?) of\b|"
    # "what principles …", "which main elements …": a plural kind of item asked for
    r"\b(?:what|which) (?:\w+ )?(?:principles|pillars|elements|components|priorities|goals|measures|initiatives|programs|"
    r"programmes|areas|points|steps|features|proposals)\b|"
    r"\b(?:the|its|their) (?:\d+|two|three|four|five|six|seven) (?:\w+ )?(?:points|principles|pillars|elements|areas|"
    r"priorities|goals|proposals|measures|steps)\b|"
    r"\b(?:two|three|four|five|six|seven|\d) (?:\w+ )?(?:reasons|factors|ways|aspects|objectives|challenges|lessons|"
    r"motives|purposes|things)\b(?!.*\bhow many\b)|"
    # "what ministries should it pull in?", "what exercises did the two navies do?": a plural asked for, then its verb
    r"\b(?:what|which) (?:[\w-]+ )?[a-z-]+(?:ies|[^suiw'\W]s) (?:did|do|does|are|were|should|would|could|will|can|has|have|had|"
    r"must|might)\b")


def is_list_question(question: str) -> bool:
    """"what are its main elements?", "what principles does the concept lay out?": the answer is a list."""
    return bool(_LIST_Q.search(fold(question)))


def _asked_acronym(question: str, pool: list[Candidate]) -> str | None:
    """The acronym a question asks the meaning of: "what's PALM?", or, when it asks what something
    stands for, any word of it the retrieved sentences write in capitals ("jasmine stands for??")."""
    if m := _ACRONYM_Q.search(question):
        return m.group(1)
    if not _EXPANSION_Q.search(question):
        return None
    capitals = {w for c in pool for w in re.findall(r"\b[A-Z]{2,10}\b", c.text)}
    return next((w.upper() for w in re.findall(r"[A-Za-z]{2,10}", question) if w.upper() in capitals), None)


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


_HE_SHE = re.compile(r"^\W*(?:\d+\.\s*)?(?:He|She)\b")
SPEAKER_REACH = 4  # sentences back through "He stated …", "He also …" to the one naming who


def _speaker_names(index: CorpusIndex, pool: list[Candidate]) -> dict[int, set[str]]:
    """The names a sentence opening with "He"/"She" is read with: those of the sentence before the run of
    such sentences ("Minister Kihara delivered his remarks …" → "He pointed out …" → "He also pointed out
    economic coercion …"), so "what did Kihara point to …" finds the last one by its name too."""
    by_number = {(c.file, c.number): c for c in pool if c.number >= 0}
    out: dict[int, set[str]] = {}
    for c in pool:
        if c.number < 0 or not _HE_SHE.match(c.text):
            continue
        for n in range(c.number - 1, c.number - 1 - SPEAKER_REACH, -1):
            before = by_number.get((c.file, n))
            if before is None:
                break
            if not _HE_SHE.match(before.text):
                names = {t for t in tokens(before.text) if t in index.proper_names}
                if names:
                    out[id(c)] = names
                break
    return out


def _contributor_terms(index: CorpusIndex, c: Candidate) -> set[str]:
    """A sentence in a contributor's own section speaks for that contributor ("what did Ito recommend")."""
    passage = index.passage(c.passage_id) if c.number >= 0 else None
    return set(tokens(passage.author)) if passage and passage.author in index.contributors else set()


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


def _front_matter_title(index: CorpusIndex, c: Candidate) -> bool:
    """A subtitle or a contents line before a document's first heading ("Japan-ASEAN Defense Forum;
    US-Japan-South Korea Meeting"): every longer word capitalised, no full stop. The same shape in
    a section is often a list item ("Japan-ASEAN WPS Cooperation Program (October 2024)"), kept."""
    passage = index.passage(c.passage_id) if c.number >= 0 else None
    if passage is None or passage.section or c.text.rstrip().endswith((".", "!", "?", ":")):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", c.text) if len(w) >= 4]
    return bool(words) and all(w[0].isupper() for w in words)

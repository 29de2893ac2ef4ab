"""Sentences an answer cannot be read without, beside the ones that score best: the items of a
list its lead-in announces, the note that explains a sentence, the sentence that turns or concludes
the best one, the one naming who "he" is, the one using the ordinal the question asks about, and the
note that dates a sentence ("in June of this year").

Each is found by reading the document around a chosen sentence, not by scoring: "However, it
could have significant implications …" shares few words with the question it answers.
"""

from __future__ import annotations

import re

from assistant.candidates import Candidate, gap, is_bibliographic
from assistant.question import FOLLOW_THROUGH_Q
from assistant.text import INTRODUCES, MONTHS, YEAR, fold, numbers, tokens

_COUNT = r"(?:two|three|four|five|six|seven|eight|\d)"
_COUNT_WORDS = ["two", "three", "four", "five", "six", "seven", "eight"]
_ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
_TWO_LISTS = re.compile(rf"\b{_COUNT}\s+[\w-]+(?:\s+[\w-]+)?\s+and\s+{_COUNT}\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)]|[①-⑳])")
# "… can be explained by four reasons." followed by "First, …", "Second, …": a list in prose, one paragraph an item
_COUNTED = re.compile(rf"\b{_COUNT}\s+(?:[\w-]+\s+)?[a-z]+s\b", re.IGNORECASE)
_ORDINAL_LEAD = re.compile(r"^\W*(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth)(?:ly)?\b|^\W*(?:Finally|Lastly)\b")
ENUMERATION_REACH = 60  # sentences after the intro in which its "Second, …" … "Finally, …" are looked for
# where the noun phrase after an ordinal ends: "the first-ever Japan–ASEAN seminar | that …"
_PHRASE_END = re.compile(r"^(?:that|which|who|whom|when|where|held|was|were|is|are|be|in|at|on|of|did|does|do|by|for|with|"
                         r"to|and|or|between|happen\w*|take|took|supposed|about)$")
_TURN = re.compile(r"^\W*(?:However|But|Although|Though|Yet|Nevertheless|Nonetheless|Instead|Still|As a result|"
                   r"Consequently|Therefore|Thus|Hence|In the end|Eventually|Ultimately)\b")
_OUTCOME_Q = re.compile(r"\bwhat happened\b|\bcome of (?:it|that|this|them)\b|\bcame of\b|\boutcome\b|\bend(?:ed)? up\b|"
                        r"\bhow did (?:it|that|this) (?:go|turn out|end)\b", re.IGNORECASE)
# "in June of this year", "the same month", "last year": a time the reader can only place through the note
_UNDATED = re.compile(rf"\b(?:this|last|next|that|the same|the previous|the following) (?:year|month)\b|\b{MONTHS}(?!\w)")
# "what does she read into …?", "what does that suggest?": the author's reading of the fact follows it
_READING_Q = re.compile(r"\bread(?:s|ing)? into\b|\bmake of\b|\binterpret|\bwhat does (?:that|this|it) (?:suggest|imply|mean|signal|show)\b|"
                        r"\bsignifican|\bwhy does (?:it|that|this) matter\b|\bimplication", re.IGNORECASE)
_INTERPRETS = re.compile(r"\binterpret|\bsuggests?\b|\bimpl(?:y|ies)\b|\bindicat|\bsignals?\b|\bcan be (?:seen|read|understood)\b|"
                         r"\breflects?\b|\bmeans that\b", re.IGNORECASE)
READING_REACH = 3
OUTCOME_REACH = 4  # sentences after the best one where "what happened with that?" finds its answer
OUTCOME_ON, OUTCOME_WORDS = 2, 70  # …and how far the answer reads on past the turn (sentences, words)
_CONTRAST_LEAD = re.compile(r"^\W*(?:In contrast|By contrast|Conversely|On the other hand|Likewise|Similarly|In comparison)\b")
# "…appreciated Japan's efforts." → "At the same time, they welcomed the proposals …": the same subject goes on
_GOES_ON = re.compile(r"^\W*(?:At the same time|Moreover|Furthermore|In addition|Additionally|Also|Besides),?\s+"
                      r"(?:he|she|they|it|the (?:ministers?|minister|government|two|parties|sides))\b")
# "In the ensuing term until 2017, Tokyo is again serving …": the next of what the sentence before told of
_SEQUEL = re.compile(r"^\W*(?:(?:In|During|For|Over|Since)\s+)?the\s+(?:ensuing|following|next|subsequent|later)\b", re.IGNORECASE)
_THE_SUBJECT = re.compile(r"^\W*The\s+([A-Za-z][\w-]*)\s+(?!of\b)")  # "The MOU set forth …", not "The rest of …"
ANTECEDENT_STEPS = 2  # how far back a chain of references is followed
_SAME_TIME = re.compile(r"\b(?:of|in|during) (?:the same|that) (?:year|month|period|day)\b", re.IGNORECASE)
_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those|such) (?!year\b|month\b|time\b|region\b|paper\b|article\b|report\b|"
                            r"commentary\b|chapter\b|section\b|study\b|regard\b|respect\b|sense\b)[A-Za-z]+")  # "In this regard" only connects
_PRONOUN_LEAD = re.compile(r"^\W*(?:\d+\.\s*)?(?:He|She|They|It|This|These|Such)\b(?!\s+(?:is|was) (?:not )?(?:clear|likely|possible))"
                           r"(?!\s+(?:paper|article|report|commentary|chapter|section|study)\b)")  # "This paper …" is the document


def companions(question: str, chosen: list[Candidate], pool: list[Candidate],
               answers: list[Candidate] = ()) -> list[Candidate]:
    """Sentences the best one cannot be read without: the next one when it turns or concludes the
    argument ("…might not seem related." → "However, it could have significant implications …"),
    looking a few sentences on when the question asks what came of it ("Japan proposed a forum …
    what happened with that?" → "Although none opposed it, no agreement was reached"), or when it goes
    on about the same subject ("At the same time, they welcomed …"); and the one
    before when the best one opens with "He", "They" or "This" (who said it is part of the answer).
    `answers` (each part's answer) are followed on as the best one is, when the next sentence goes on
    about what they name: "…agreed to conclude a MOU." → "The MOU set forth …" answers "what did it commit them to?"."""
    if not chosen or chosen[0].number < 0:
        return []
    lead = chosen[0]
    sentences = {(c.file, c.number): c for c in pool if c.number >= 0}
    following = [sentences.get((lead.file, n)) for n in range(lead.number + 1, lead.number + 1 + OUTCOME_REACH + OUTCOME_ON)]
    out = []
    reach = OUTCOME_REACH if _OUTCOME_Q.search(question) else 1
    after = next((c for c in following[:reach] if c is not None and _TURN.match(c.text)), None)
    if after is None and _READING_Q.search(question):  # "what does she read into it?": the author's reading
        after = next((c for c in following[:READING_REACH] if c is not None and _INTERPRETS.search(c.text)), None)
    if after is None and following[0] is not None and (_elaborates(following[0], lead, question)
                                                       or _GOES_ON.match(following[0].text)):
        after = following[0]  # "…concluding a MOU on defense cooperation." → "The MOU set forth the regular holding of talks …"
    if after is not None:
        out.append(after)
        if reach > 1:  # what came of it is told on from the turn: "…no agreement was reached either. … they
            # agreed to discuss maritime issues within the framework of the existing ASEAN Maritime Forum."
            words = len(after.text.split())
            for c in following[after.number - lead.number:][:OUTCOME_ON]:
                if c is None or c.passage_id != after.passage_id or words + len(c.text.split()) > OUTCOME_WORDS:
                    break
                out.append(c)
                words += len(c.text.split())
    for answer in answers:
        if answer is lead or answer.number < 0:
            continue
        nxt = sentences.get((answer.file, answer.number + 1))
        if nxt is not None and nxt not in chosen and nxt not in out and _elaborates(nxt, answer, question):
            out.append(nxt)
    for c in chosen:  # "Abe raised five new principles …" → "The five principles included …": what they were
        nxt = sentences.get((c.file, c.number + 1)) if c.number >= 0 else None
        if nxt is not None and nxt not in chosen and nxt not in out and spells_out(nxt, c):
            out.append(nxt)
    counted = {t for m in _COUNTED.finditer(question) for t in tokens(m.group().split()[-1])}
    for c in chosen:  # "…in its first two terms?": "…in the first term of 2010-2013." → "In the ensuing term …"
        nxt = sentences.get((c.file, c.number + 1)) if c.number >= 0 else None
        if (nxt is not None and nxt not in chosen and nxt not in out and _SEQUEL.match(nxt.text)
                and counted & c.terms & nxt.terms):
            out.append(nxt)
    for c in chosen:  # "He stated that Japan has no intention …": who, and what he said just before
        pair, at = [], c
        for _ in range(ANTECEDENT_STEPS):  # "In June of the same year, they …" ← "Based on this MOU, …" ← "… signed a MOU"
            before = sentences.get((at.file, at.number - 1)) if at.number >= 0 else None
            if (before is None or before in chosen or before in out or not refers_back(at.text)
                    or before.text.rstrip().endswith(":")):
                break
            pair.append(before)
            at = before
        if pair:
            out += pair[::-1] + ([c] if c is not lead and c not in out else [])  # they stand or fall together
    return out


def _elaborates(c: Candidate, lead: Candidate, question: str) -> bool:
    """Does `c`, right after `lead`, go on about the thing both it and the question name ("The MOU …")?"""
    m = _THE_SUBJECT.match(c.text)
    return bool(m and set(tokens(m.group(1))) & set(tokens(lead.text)) & set(tokens(question)))


def spells_out(c: Candidate, intro: Candidate) -> bool:
    """Does `c` say what the things `intro` counts are ("…raised five new principles …" → "The five
    principles included …")? Its subject repeats the counted noun; the count alone is not enough."""
    counted = _COUNTED.search(intro.text)
    if counted is None:
        return False
    noun = counted.group().split()[-1].lower()
    return bool(re.match(rf"^\W*(?:The|These|Those|Its|Their)\s+(?:{_COUNT}\s+)?(?:[\w-]+\s+)?{re.escape(noun)}\b",
                         c.text, re.IGNORECASE))


def refers_back(text: str) -> bool:
    """Can `text` only be read with the sentence before it — "He stated …", "Based on this MOU, …",
    "In June of the same year, they …", "In contrast, “JASMINE” presents …", "At the same time, they welcomed …"?"""
    opening = " ".join(text.split()[:4])
    return bool(_PRONOUN_LEAD.match(text) or _SAME_TIME.search(text) or _DEMONSTRATIVE.search(opening)
                or _CONTRAST_LEAD.match(text) or _GOES_ON.match(text))


def states_ordinal(text: str, ordinal: re.Pattern, question: str) -> bool:
    """Does `text` use the question's ordinal of the same thing — the head noun after it? "the
    first-ever Japan–ASEAN seminar that …" is answered by "the first seminar between Japan and ASEAN",
    not by "for the first time"; "the fifth … vice-minister meeting" by "the fifth meeting was held",
    not by "the Fifth Japan-ASEAN Ship Rider Cooperation Program". "The fifth one" takes any."""
    asked = fold(question)
    at = ordinal.search(asked)
    if at is None:
        return False
    run = []
    for word in re.split(r"[\s–-]+", asked[at.end():].strip(" -–")):
        word = word.strip("?.,;:!'\"")
        if not word or _PHRASE_END.match(word) or len(run) == 7:
            break
        run.append(word)
    head = tokens(run[-1]) if run and run[-1] not in ("one", "ones", "ever") else []
    folded = fold(text)
    return any(not head or set(head) & set(tokens(" ".join(folded[m.end():].split()[:6])))
               for m in ordinal.finditer(folded))


def list_items(chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """The items after a chosen sentence that introduces a list ("… outlined the following three
    principles." → "① Respecting Centrality …", "② …"): short retrieved sentences, in order, while they last."""
    items: list[Candidate] = []
    for c in list(chosen):
        if c.number < 0:
            continue
        by_number = {o.number: o for o in pool if o.file == c.file}
        if _COUNTED.search(c.text) and (first := by_number.get(c.number + 1)) and _ORDINAL_LEAD.match(first.text):
            items += [o for o in _enumerated(c, by_number) if o not in items]
            continue
        if not INTRODUCES.search(c.text):
            continue
        lists = 2 if _TWO_LISTS.search(c.text) else 1  # "… the following three principles and two coordination points"
        n, headings, bullet = c.number + 1, 0, None
        while len(items) < 8:
            item = by_number.get(n)
            if item is None or len(item.text.split()) > 30:
                break
            if item.text.rstrip().endswith(":"):  # the list's own heading ("Three proposed principles:"),
                if n > c.number + 1:  # or the next list's: the intro may announce that one too
                    headings += 1
                    if headings >= lists:
                        break
            else:
                starts = bool(_BULLET.match(item.text))
                if bullet is not None and starts != bullet:
                    break  # "- ① …", "- ② …", then a sentence: the list has ended
                bullet = starts
                items.append(item)
            n += 1
    return items


# "besides the WPS stuff, which …", "apart from MOD and MOFA, what ministries …": items the reader already has
_EXCEPT = re.compile(r"\b(?:besides|apart from|aside from|other than|except(?: for)?|excluding|beyond)\s+(?:the\s+)?"
                     r"([^,?;]{2,60}?)(?=,|\?|;|\s+(?:what|which|who|how|did|does|do|is|are|was|were)\b|$)", re.IGNORECASE)
_VAGUE = frozenset(tokens("stuff thing things one ones bit bits part parts"))


def excluded_terms(question: str) -> list[set[str]]:
    """The things a question sets aside ("besides the WPS stuff" → {wps}): each as its content words."""
    return [t for m in _EXCEPT.finditer(question) if (t := set(tokens(m.group(1))) - _VAGUE)]


def series_clauses(question: str, chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """The other items of a series a chosen clause is one of. A sentence too long to quote whole is offered
    clause by clause (`candidates.clauses`): "…coordination with the Ministry of Land … and the Ministry of
    Internal Affairs …; the Ministry of Health, Labor, and Welfare …; and the Ministry of Economy …". A list
    question answered by one of them is answered by all of them, in order — except those naming what the
    question sets aside ("besides the WPS stuff"). The chosen clause comes back too: it is one of the items."""
    excluded = excluded_terms(question)
    out: list[Candidate] = []
    for c in chosen:
        if c.number < 0:
            continue
        siblings = sorted((o for o in pool if o.file == c.file and o.number == c.number and o.start != c.start),
                          key=lambda o: o.start)
        kept = [o for o in siblings if o not in out and not any(len(t & o.terms) * 2 > len(t) for t in excluded)]
        if kept:
            out += ([c] if c not in out else []) + kept
    return out


# "(1) indicates …, (2) pertains to …": a sentence saying what each numbered item of a list is about
_GLOSS = re.compile(r"\((\d{1,2})\)\s+(?:indicates|pertains to|involves|focuses on|refers to|concerns|covers|deals with|"
                    r"relates to|addresses|is about|aims at|aims to)\b", re.IGNORECASE)
GLOSS_REACH = 12  # sentences back from the gloss where the list it numbers is looked for


def glossed_items(question: str, chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """The list item a chosen sentence glosses by its number, with the gloss, when the gloss is what the
    question asks about: "which pillar covers climate change?" — "(1) indicates traditional security issues, (2)
    pertains to emerging security issues such as climate change …" says it is the second, and the list
    before it says what the second is ("- (2) To continue and expand the Japan-ASEAN defense cooperation")."""
    asked = set(tokens(question))
    out: list[Candidate] = []
    for c in chosen:
        marks = list(_GLOSS.finditer(c.text)) if c.number >= 0 else []
        if len(marks) < 2:
            continue
        ends = [m.start() for m in marks[1:]] + [len(c.text)]
        glosses = [(m.group(1), set(tokens(c.text[m.end():end]))) for m, end in zip(marks, ends)]
        number, terms = max(glosses, key=lambda g: len(g[1] & asked))
        if not terms & asked or sum(len(t & asked) == len(terms & asked) for _, t in glosses) > 1:
            continue  # no gloss, or no single one, is about what was asked
        before = [o for o in pool if o.file == c.file and 0 < c.number - o.number <= GLOSS_REACH]
        for item in (rf"^[-*•\s]*\({number}\)\s+\S", rf"^[-*•\s]*{number}[.)]\s+\S"):  # as the gloss writes it, "(2)", first
            found = max((o for o in before if re.match(item, o.text)), key=lambda o: o.number, default=None)
            if found is not None:
                break
        if found is not None and found not in out:
            out += [c, found]  # they stand together: the gloss says which, the item what it is
    return out


# "…co-chaired over the years?", "…so far, incl. the current one?": every period's instance is the answer
_OVER_TIME_Q = re.compile(r"\bover (?:the )?(?:years|time|decades)\b|\bso far\b|\bto date\b|"
                          r"\b(?:up to|until|incl\.?|including) the (?:current|latest|present|most recent) one\b", re.IGNORECASE)
PERIOD_SHARE = 0.6  # a sentence telling another period holds this share of the question words the best one holds
PERIODS_MAX = 3


def other_periods(question: str, weights: dict[str, float], chosen: list[Candidate],
                  pool: list[Candidate]) -> list[Candidate]:
    """Sentences telling the same thing of other years, when the question asks for its history: "which EWGs
    has Japan co-chaired over the years?" — Shoji's "the EWG on military medicine … 2010-2013" leads, and
    "In the ensuing term until 2017, Tokyo is again serving as co-chair …" and the 2025 newsletter's "Japan's
    co-chairmanship of the EWG on Maritime Security (2024-2027)" are the later terms. Each must hold most of
    the question words the best sentence holds and name a year no chosen sentence does."""
    if not chosen or not _OVER_TIME_Q.search(question):
        return []
    held = {t: w for t, w in weights.items() if t in chosen[0].terms}
    whole = sum(held.values()) or 1.0
    periods = {y for c in chosen for y in YEAR.findall(c.text)}
    out: list[Candidate] = []
    for c in sorted(pool, key=lambda c: -c.score):
        years = set(YEAR.findall(c.text))
        if (c.number >= 0 and c not in chosen and years - periods
                and sum(w for t, w in held.items() if t in c.terms) >= PERIOD_SHARE * whole):
            out.append(c)
            periods |= years
            if len(out) == PERIODS_MAX:
                break
    return out


# "what did they say on defence and deterrence?": the topic after "on"/"about"
_SAID_ON_Q = re.compile(r"\bwhat (?:did|does|do|has|have) (?:[\w'’-]+ ){0,4}(?:say|said|write|wrote|state|stated|note|noted)\s+"
                        r"(?:on|about|regarding|concerning)\s+([^?]+)", re.IGNORECASE)
SAID_REACH = 3  # sentences from the best one where the rest of what was said on the topic is looked for
SAID_MAX = 2


def said_on_topic(question: str, weights: dict[str, float], chosen: list[Candidate],
                  pool: list[Candidate]) -> list[Candidate]:
    """The other sentences near the best one that speak of the topic asked about: "what did they say on
    deterrence?" — "They reaffirmed their commitment to bolstering defense and deterrence …" leads, and
    "The United States reaffirmed its commitment to strengthen extended deterrence …", two sentences on,
    says more of it. The topic's rarest word must stand in each."""
    asked = _SAID_ON_Q.search(question)
    topic = [t for t in tokens(asked.group(1)) if t in weights] if asked else []
    if not chosen or not topic:
        return []
    rarest = max(topic, key=lambda t: weights[t])
    lead = chosen[0]
    near = [c for c in pool if 0 < gap(c, lead) <= SAID_REACH and c not in chosen and rarest in c.terms]
    return sorted(near, key=lambda c: -c.score)[:SAID_MAX]


_PROPOSES = re.compile(r"\b(?:propos|suggest|float|pledg|plan|offer|call(?:s|ed)? for)", re.IGNORECASE)
FOLLOW_SHARE = 0.4  # of the proposal's words the sentence telling what came of it repeats


def follow_through(question: str, chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """What came of the proposal the best sentence tells of, told later in its document: "Abe proposed a
    defense ministers meeting in December 2013 … when did it actually happen?" — "…the Japanese Government
    succeeded in holding a Japan-ASEAN Defense Ministers' Roundtable Meeting in November 2014", pages on.
    The first later sentence repeating enough of the proposal's words, and not proposing again, is it
    (retrieval brings its passage: `retrieve._follow_through`)."""
    if not chosen or chosen[0].number < 0 or not FOLLOW_THROUGH_Q.search(question):
        return []
    lead = chosen[0]
    told = lead.terms - lead.borrowed
    later = [c for c in pool if c.file == lead.file and c.number > lead.number + 1 and c not in chosen
             and not _PROPOSES.search(c.text) and len(told & c.terms) >= FOLLOW_SHARE * len(told)]
    return sorted(later, key=lambda c: c.number)[:1]


def _enumerated(intro: Candidate, by_number: dict[int, Candidate]) -> list[Candidate]:
    """The items of a list told in prose: after "…explained by four reasons.", the sentences that open
    with "First, …", "Second, …" up to "Finally, …" — each item's first sentence, however long, since
    a paragraph follows each. The ordinals must come in order; the list ends at the count announced."""
    word = re.match(_COUNT, _COUNTED.search(intro.text).group(), re.IGNORECASE).group().lower()
    count = int(word) if word.isdigit() else _COUNT_WORDS.index(word) + 2
    found: list[Candidate] = []
    for n in range(intro.number + 1, intro.number + 1 + ENUMERATION_REACH):
        item = by_number.get(n)
        if item is None or not _ORDINAL_LEAD.match(item.text):
            continue
        word = re.match(r"^\W*(\w+)", item.text).group(1).lower().removesuffix("ly")
        if word in _ORDINAL_WORDS and _ORDINAL_WORDS.index(word) != len(found):
            continue  # "First, …" inside the second item's paragraph is not the list's own
        found.append(item)
        if len(found) >= count or word in ("final", "last"):
            break
    return found


def explaining_notes(chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """A note that explains its chosen sentence ("During the Ship Rider programs, the participants
    exchange views …") is part of what that sentence says; a bibliographic one is only its source."""
    best = chosen[0].score if chosen else 0.0
    return [n for c in chosen if c.number >= 0 for n in pool
            if n.file == c.file and -n.number in c.markers and not is_bibliographic(n) and n.score >= 0.6 * best][:2]


def dating_notes(missing: set[str], chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """Notes that date the chosen sentences, or a sentence right next to them, by the figures
    `missing` from them: "These programs were also conducted simultaneously in June of this year.²⁹"
    is dated by its note ("… the 6th … Ship Rider Cooperation Program …," June 13, 2024), so a
    question about "the June 2024 program" is answered by that sentence with its note, not refused
    for want of the year. Returns the notes and any such neighbouring sentence, in that order."""
    found: list[Candidate] = []
    nearby = [c for c in pool if c not in chosen and any(0 < gap(c, o) <= 2 for o in chosen)]
    for c in chosen + nearby:
        if not missing or c.number < 0 or not _UNDATED.search(c.text) or YEAR.search(c.text):
            continue  # only a sentence placed in the document's own time ("this year") needs its note for the year
        for n in pool:
            if n.file == c.file and -n.number in c.markers and n not in chosen + found and missing & numbers(n.text):
                found += [n] + ([c] if c not in chosen + found else [])
                missing = missing - numbers(n.text)
    return found

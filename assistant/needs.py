"""What kind of fact a question asks for, whether a sentence states it, and when the evidence found
does not answer the question at all.

A "when" needs a date, a "how many" a number, a "who" a name beside a role, a "which country" a country
named as a party; a year the question names must be the answer's. Evidence selection (`evidence.py`)
fetches sentences stating what is missing; when none does, the assistant abstains: an on-topic passage
that lacks the asked-for fact is not an answer.
"""

from __future__ import annotations

import re

from assistant.candidates import Candidate, gap, is_bibliographic
from assistant.companions import states_ordinal
from assistant.question import asking_sentence, without_occasion
from assistant.text import MONTHS as _MONTHS, ORDINALS, YEAR, fold, numbers, ordinals, tokens

SOFT_NEEDS = {"reason", "recommendation", "example", "contrast"}  # sought when choosing evidence, never a cause to abstain: either
# can be stated without the words that usually mark it
HOLDER_SHARE = 0.5  # of the best sentence's share of the question's words, for a sentence stating the fact asked
_DATE = re.compile(rf"\b(?:1[89]\d\d|20\d\d)s?\b|\b{_MONTHS}\b|"  # …or an era: "only after the end of the Cold War"
                   r"\b(?:end|start|beginning|outbreak|close) of (?:the )?(?-i:[A-Z][\w-]+(?: [A-Z][\w-]+)*)|\bpost-(?-i:[A-Z])[\w-]+",
                   re.IGNORECASE)
_MONTH = re.compile(rf"\b{_MONTHS}\b")
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|dozen)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"[¥$€£]\s?\d|\d[\d,.]*\s?(?:%|(?:percent|per cent|billion|million|trillion|yen|dollars?|usd)\b)",
                     re.IGNORECASE)  # no \b after "%": "(58.9%)" has no word boundary there
# "how many … in total?" is not answered by "the first four of which": a share of the count, not the count
_TOTAL_Q = re.compile(r"\bin total\b|\baltogether\b|\btotal number\b|\boverall\b|\bin all\b")
_PART_OF = re.compile(r"\b(?:first|last|another|other|further|more|latest|initial)\s+$", re.I)
_PERCENT = re.compile(r"\d\s?(?:%|percent|per cent)", re.IGNORECASE)
_ORDINAL = re.compile(rf"\b\d+(?:st|nd|rd|th)\b|\b(?:{'|'.join(ORDINALS)})\b", re.IGNORECASE)  # "the 8th", "the fifth"
# "in Okinawa", "at the Pentagon", "visited Vietnam", "during the Pacific Partnership" (an event is a where) — not "in March", nor "at the Fourth … Forum" (which meeting, not where)
_PLACE = re.compile(rf"\b(?:in|at|to|from|near|during|visit(?:ed|ing|s)?)\s+(?:the\s+)?(?!{_MONTHS}\b|(?i:{'|'.join(ORDINALS)})\b)[A-Z][a-zA-Z-]+")
_ROLE = re.compile(r"\b(?:H\.E\.|Mr\.|Ms\.|Mrs\.|Dr\.|Ministers?|Secretary|President|Chair(?:man|person)?|"
                   r"Ambassador|General|Admiral|Professor|Director|Fellow)\b")  # capitalised: a title, not a noun
# "why": a cause, a purpose, a rule that forbade something, or what it bears on ("why would that matter?" — "it
# could have significant implications for Vietnam's coastal defense")
_REASON = re.compile(r"\b(?:because|due to|owing to|as a result|therefore|thus|hence|so that|in order to|aim(?:s|ed)? to|"
                     r"could not|cannot|can not|was not allowed|were not allowed|prohibit\w*|forbid\w*|restrict\w*|"
                     r"according to (?:its|the) (?:guidelines|rules|law|constitution)|reason|implications? for)\b", re.IGNORECASE)
# "how often do they meet?": "every two years", "annually", "twice a year", "on a regular basis"
_FREQUENCY = re.compile(r"\bevery (?:\w+ )?(?:years?|months?|weeks?|days?)\b|\b(?:bi)?annual(?:ly)?\b|\b(?:bi)?(?:yearly|monthly|weekly)\b|"
                        r"\bbiennial(?:ly)?\b|\beach (?:year|month)\b|\b(?:once|twice|(?:two|three|four) times) (?:a|per|every|each)\b|"
                        r"\bper (?:year|annum)\b|\bregular(?:ly| basis)\b|\bperiodic(?:ally)?\b", re.IGNORECASE)
# "what did they recommend": what a proposal says should be done
_RECOMMENDS = re.compile(r"\b(?:should|must|ought to|needs? to|recommend\w*|propos\w*|calls? for|it is (?:necessary|essential|"
                         r"important|vital) (?:to|that)|put(?:s|ting)? forward|"
                         # "Abe raised five new principles": what was put forward, not a concern raised
                         r"(?:raised|floated|unveiled|laid out|set out) (?:[\w-]+ ){0,3}(?:principles|proposals?|ideas?|initiatives?|"
                         r"plans?|concepts?|visions?))\b", re.IGNORECASE)
# "whose air force is the airlift example?": "The Royal Australian Air Force, for instance, helps transport …"
_EXAMPLE = re.compile(r"\bfor (?:example|instance)\b|\be\.g\.|\bsuch as\b|\bexamples? (?:of|is|are|include)\b|"
                      # "…successfully developed, exemplified by ASEAN's acknowledgement …": the evidence for a claim
                      r"\bexemplif\w*|\b(?:illustrated|evidenced|demonstrated|shown) by\b|\ba case in point\b|"
                      # "One of the specific efforts is the …", "Specific measures include …": a case in point
                      r"\bone of the (?:[\w-]+ )?(?:efforts|initiatives|programs|programmes|projects|measures|cases)\b|"
                      r"\b(?:specific|concrete) (?:efforts|initiatives|programs|measures|projects) (?:include|are|were)\b",
                      re.IGNORECASE)
# "how does JASMINE differ from it?": "In contrast, “JASMINE” presents …", "not as recipients … but as partners"
_CONTRASTS = re.compile(r"\b(?:in|by) contrast\b|\bunlike\b|\bwhereas\b|\brather than\b|\bnot as\b[^.;]{1,60}\bbut as\b|"
                        r"\bdiffers?\b|\bdifferent from\b|\bon the other hand\b|\binstead of\b", re.IGNORECASE)
# "which MSDF ship hosted …?", "which vessel …?" (one, by name) — not "which ship rider program", nor "what vessels"
_SHIP_Q = re.compile(r"\bwhich (?:[\w'’-]+ )?(?:ship|vessel|warship|destroyer|frigate|submarine|cutter)\b(?!\s+riders?\b)")
_SHIP_NAME = re.compile(r"\b(?:JS|JDS|HMAS|HMS|USS|BRP|KRI|RSS|HTMS|KD|INS)\s+[A-Z][a-z]+|\b[A-Z][a-z]+-class\b|"
                        r"[“\"][A-Z][\w-]+[”\"]\s+(?:ship|vessel|destroyer|frigate|helicopter carrier|cutter)")
_MARKED_BY = {"reason": _REASON, "recommendation": _RECOMMENDS, "frequency": _FREQUENCY,
              "example": _EXAMPLE, "contrast": _CONTRASTS}  # needs stated by a phrase anywhere
# "what are they called?", "where was it first published?": the names and places of works, which a
# bibliographic note gives
TITLE_Q = re.compile(r"\b(?:called|titled|entitled|title of|titles of|name of the (?:book|article|report|document|declaration)|"
                      r"publish\w*|publication|appear(?:s|ed)?|c[ao]mes? out)\b", re.IGNORECASE)
# the side a comparison is made against: "ahead of the US", "more than China", "compared with the EU"
_COMPARED = re.compile(r"\b(?:ahead of|behind|(?:more|less|higher|lower|fewer|greater) than|compared (?:with|to)|versus|vs\.?)\s+"
                       r"(?:the\s+)?((?:[A-Z][\w.-]*\s?){1,3})")
_CAPITALISED = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][a-z][\w’'-]+")
SOURCE_WORDS = frozenset(tokens("source sources cite cites cited citing citation footnote footnotes note notes reference "
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


# "after he got back into office", "dating back to 2001": back as a direction, not "what backs the claim"
_BACK_AGAIN = re.compile(r"\b(?:go|goes|went|gone|going|get|gets|got|getting|come|comes|came|coming|bring|brings|brought|"
                         r"look|looks|looked|looking|date|dates|dated|dating|far|way|step|stepped|cut|pushed?|pulled?)\s+back\b",
                         re.IGNORECASE)


def wants_source(question: str) -> bool:
    """Does the question ask for the document's own source (a footnote) rather than the claim?"""
    return bool(_SOURCE_Q.search(_BACK_AGAIN.sub(" ", question)))


def question_needs(question: str) -> list[str]:
    """The kinds of fact the question asks for: date, number, amount, percent, place, ordinal, person,
    frequency, and the soft ones (reason, recommendation, example). "…when he spoke to the ministers?" sets
    the occasion (`without_occasion`) and asks no date."""
    q = _which_ones(fold(without_occasion(question)))
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
    if re.search(r"\bwhat percent|\bpercentage\b|\bwhat share\b|\bhow many percent|\bwhat ?%", q):
        needs.append("percent")
    if (re.search(r"\bwhere\b(?! does| did .* (?:come|say))", q) and not re.search(r"\bwhere\b.* from\W*$", q)) or re.search(
            r"\b(?:what|which) (?:cit(?:y|ies)|countr(?:y|ies)|towns?|venues?|locations?|islands?|capitals?)\b", q):
        needs.append("place")
    if re.search(r"\bwhich (?:edition|round|session|iteration|installment|instalment)\b|\bhow many times\b", q):
        needs.append("ordinal")  # "which edition was it?": the 8th
    if (re.search(r"\bwho\b|\bwhom\b", q) and not re.search(r"\bwhose (?:phrase|words)\b", q)) or _NAMED_ROLE_Q.search(q) \
            or _WHICH_ROLE_Q.search(q):
        needs.append("person")
    if _SHIP_Q.search(q):
        needs.append("ship")  # "which MSDF ship hosted it?": a ship by name, not the program it hosted
    if re.search(r"\bhow (?:often|frequently|regularly)\b", q):
        needs.append("frequency")
    if re.search(r"\bwhy\b", q):
        needs.append("reason")
    if re.search(r"\b(?:example|instance)s?\b|\b(?:as|for) (?:evidence|proof)\b|\bevidence (?:that|of)\b|"
                 r"\bwhat (?:shows|showed|proves|proved|demonstrates|illustrates)\b", q):  # "what does shoji point to as evidence that …"
        needs.append("example")
    if re.search(r"\bhow (?:does|do|did|is|are|was|were) [^?]{1,60}\bdiffer|\bwhat(?:'s| is| are)? (?:the )?differences?\b|"
                 r"\bhow is [^?]{1,60}\bdifferent\b|\bin contrast to\b|\bcontrast (?:with|to)\b", q):
        needs.append("contrast")  # "how does Aizawa think JASMINE differs from it?"
    # the verbs: "what did they propose"; not the noun ("when was the policy proposal published")
    if re.search(r"\b(?:recomm?end|propos(?:e|es|ed|ing)\b|suggest|advis|advocat|urg(?:e|es|ed)\b|call(?:s|ed)? for|"
                 r"put(?:s|ting)? forward|float(?:s|ed)?\b)|"
                 r"\bwhat (?:does|do|did|would) [\w\s'’-]{1,40}\bwant\b", q):  # "what does it want the SDF to do?"
        needs.append("recommendation")
    return needs


_PLURAL = r"[a-z-]+(?:ies|[^suiw'\W]s)"  # "countries", "officers" — not "class", "status", "basis"
_COUNTED_THINGS = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|some|other)\s+(?:[\w-]+\s+){0,2}?"
                             rf"({_PLURAL})\b")
_WHICH_ONES = re.compile(r"\b(which|what) (?:ones|of them|are they|were they)\b")


def _which_ones(q: str) -> str:
    """"3 non-ASEAN countries also got it — which ones?" asks "which countries": the things the statement
    before it counts, so a sentence giving only the count does not answer it."""
    asked = _WHICH_ONES.search(q)
    counted = [m for m in _COUNTED_THINGS.finditer(q[: asked.start()])] if asked else []
    if not counted:
        return q
    return f"{q[: asked.start()]}{asked.group(1)} {counted[-1].group(1)}{q[asked.end():]}"


def holds(need: str, c: Candidate, question: str, chosen: list[Candidate], on_topic: bool = False) -> bool:
    """Does sentence `c` state the kind of fact asked for — something the question does not already
    say, in a sentence on the question's topic (`on_topic`: the caller has judged that) or right
    next to one that is?"""
    if need == "ordinal" and (years := set(YEAR.findall(question))) and YEAR.search(c.text) \
            and not years & set(YEAR.findall(c.text)):
        return False  # "which edition was the June 2024 program?" — not "the Fifth … conducted in August 2023"
    if c.number < 0 and is_bibliographic(c) and not TITLE_Q.search(question) and need != "ordinal":
        return False  # a reference's dates and places are its publication's, not the event's (unless asked); a note
        # that explains ("The JPIDD, hosted by the JMOD, is …") states facts like the text does; a title's
        # ordinal is the event's ("[Regarding the Implementation of the 6th … Program]")
    if c.signed:
        return need == "person"  # "(Hideshi Tokuchi)": who wrote the section
    near = any(0 < gap(c, o) <= 2 for o in chosen)
    if c.coverage < 0.2 and not near and not on_topic:
        return False
    if need == "person" and _PARTNER_Q.search(question):  # "who … with?": a party named beside "with", not any name
        return _partner_named(c, question)
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
        # "attended by the Minister", "headed by an NSS deputy director general": an office named as the agent
        return bool(_BY_OFFICE.search(c.text))
    if need in _MARKED_BY:
        return bool(_MARKED_BY[need].search(c.text))
    if need == "place" and _COUNTRY_Q.search(_which_ones(fold(question))) and _partner_named(c, question):
        return True
    pattern = {"date": _DATE, "month": _MONTH, "number": _NUMBER, "amount": _AMOUNT, "percent": _PERCENT,
               "place": _PLACE, "ordinal": _ORDINAL, "ship": _SHIP_NAME}[need]
    asked = fold(question)
    city = need == "place" and _CITY_Q.search(asked)  # "in what city?" is not answered by "held in Indonesia"
    measured = _measured(question) if need in ("number", "amount") else set()
    if measured and not measured <= c.terms:
        return False  # "value of the yen loan" needs a sentence about the loan, not any sum in yen
    given = set(asked.replace(".", " ").split())  # "Dec 2013" in the question gives "December 2013" too
    total = need == "number" and _TOTAL_Q.search(asked)
    return any(fold(m.group()).split()[-1] not in asked and fold(m.group()).rstrip(".")[:3] not in given
               and not (total and _PART_OF.search(c.text[max(0, m.start() - 12):m.start()]))
               and not (city and named_countries(m.group(), capitals=False))
               for m in pattern.finditer(c.text))


def dated_notes(question: str, pool: list[Candidate], rank) -> list[Candidate]:
    """The notes in `pool` dated in a year the question names, those also in its month first, then by
    `rank`: "which edition was the June 2024 ship rider program?" may be answered only by a note's title
    ("[Regarding the Implementation of the 6th … Program]," June 13, 2024)."""
    years, dated = set(YEAR.findall(question)), _dated(question)
    notes = [n for n in pool if n.number < 0 and years & set(YEAR.findall(n.text))]
    return sorted(notes, key=lambda n: (-len(dated & _dated(n.text)), -rank(n)))


def _dated(text: str) -> set[str]:
    """The years and month names `text` states."""
    return set(YEAR.findall(text)) | {m.lower()[:3] for m in re.findall(_MONTHS, text, re.IGNORECASE)}


# "what's the name of the scholar …": a person asked for by role
_NAMED_ROLE_Q = re.compile(r"\bname of (?:the|that|this) (?:\w+ )?(scholar|author|minister|official|researcher|expert|person|"
                           r"analyst|professor|officer|commander|ambassador|leader|chair\w*|spokes\w*)\b", re.IGNORECASE)
# "which minister proposed the four pillars?" asks who — not "which expert working group", "which ministers' meeting"
_WHICH_ROLE_Q = re.compile(r"\bwhich (?:[\w-]+ )?(?:minister|official|scholar|author|researcher|person|analyst|professor|"
                           r"officer|commander|ambassador|leader|spokes\w*)s?\b(?![’']|\s+(?:working|groups?|meetings?|level|"
                           r"forums?|dialogues?|talks|roundtables?)\b)", re.IGNORECASE)
# "which country …?", "who else should Tokyo do deals with?": a country named as a party — "… with Australia
# and should seek similar accords with Britain and France"
_COUNTRY_Q = re.compile(r"\b(?:what|which) (?:other )?(?:country|countries|nations?|partners?)\b", re.IGNORECASE)
_PARTNER_Q = re.compile(r"\bwith(?:\s+(?:for|in|during|since|until|from|through)\s+[^?]{1,30})?\W*$|\bwith whom?\b|"
                        r"\bwho else\b", re.IGNORECASE)  # "…co-chairing the EWG with for 2024-2027?"
_PARTNER = re.compile(r"\b(?:with|and|between|including|like|such as)\s+(?:the\s+)?([A-Z][a-z][\w-]+)")


def _partner_named(c: Candidate, question: str) -> bool:
    asked = set(tokens(question))
    return any(not set(tokens(m.group(1))) <= asked for m in _PARTNER.finditer(c.text))


_BY_OFFICE = re.compile(r"\b(?:by|as) (?:the|an?) (?:[\w-]+ ){0,2}(?:vice-?\s?minister|minister|secretary|president|chairman|"
                        r"director|chief|head|commander)\b", re.IGNORECASE)
_AGENT = re.compile(r"\b([a-z]+ed|led|run|held|built|made|written) by (?:the )?((?:[A-Z][\w.’'-]*\s?){1,4})")
_RANKED_AFTER = re.compile(r"\b(?:following|after|behind|ahead of)\s+(?:the\s+)?((?:[A-Z][\w.-]*\s?){1,3})")
_SUBJECT = re.compile(r"^\W*(?:\d+\.\s*)?(?:The\s+)?((?:[A-Z][\w’'.-]*\s*)+)")


def names_entity(c: Candidate, question: str) -> bool:
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


_COUNTED = re.compile(r"\bhow many ((?:[a-z-]+ ?){1,4})")
_PHRASE_END = re.compile(r"\b(?:did|do|does|were|was|are|is|have|has|had|will|would|can|could|in|at|of|from|to|for|on|with|"
                         r"by|that|which|who|under|during|since)\b")


def _measured(question: str) -> set[str]:
    """What a "how many X" / "value of the X" question counts or prices: X's head noun (the phrase's
    last word — "how many outside partners" is answered by "its eight dialogue partners"); for money
    spent on something, that thing's words."""
    q = fold(question)
    if counted := _COUNTED.search(q):  # "how many pacific island countries sent …": countries, not islands
        phrase = re.split(_PHRASE_END, counted.group(1))[0].split()
        plurals = [w for w in phrase if re.fullmatch(_PLURAL, w)]
        if plurals:
            return set(tokens(plurals[-1]))
    m = re.search(r"\bhow many ([a-z-]+(?: [a-z-]+)?)|\b(?:value|cost|price|amount|budget|worth|size) of (?:the |a |an )?"
                  r"([a-z-]+(?: [a-z-]+)?)", q)
    if m:
        return set(tokens(m.group(1) or m.group(2))[-1:])
    # "how much has Japan budgeted for Official Security Assistance": what the money is for, every word
    m = re.search(r"\b(?:budget(?:ed)?|spen[dt]|spending|allocat(?:e|ed)|earmark(?:ed)?|pa(?:y|id)) (?:on|for) (?:the |a |an |its )?"
                  r"([a-z-]+(?: [a-z-]+){0,2})", q)
    return set(tokens(m.group(1))) if m else set()


def compared_figures(question: str, needs: list[str], chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
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


def _another_term(c: Candidate, question: str) -> bool:
    """Is `c` dated to years other than the ones the question names — "co-chair … with Singapore in the
    first term of 2010-2013" for "…with for 2024-2027?": another term's partner, not the one asked. The
    years are the asking sentence's (`question.asking_sentence`), not a scene-setting statement's."""
    years = {n for n in numbers(c.text) if len(n) == 4}
    asking = _DOCUMENT_YEAR.sub(" ", asking_sentence(question))  # "the 2025 newsletter" dates a document, not a term
    asked = {n for n in asked_figures(asking) if len(n) == 4}
    return bool(asked and years and not years & asked)


_DOCUMENT_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\s+(?:[\w-]+\s+)?(?:newsletter|report|paper|article|release|commentary|"
                            r"proposal|piece|study|book|issue|edition|white paper)s?\b", re.IGNORECASE)


_CITY_Q = re.compile(r"\b(?:what|which) (?:cit(?:y|ies)|towns?)\b|\bwhere in (?:the country|it)\b")
QUANTITIES = ("number", "amount", "percent")
# "what % said they trust India?" is not answered by China's or Japan's share: a figure asked of a country is
# the one a sentence naming that country gives (Japan, every document's subject, excepted)
_COUNTRIES = {name: re.compile(forms) for name, forms in {
    "japan": r"\bJapan(?:ese)?\b", "china": r"\bChina\b|\bChinese\b", "india": r"\bIndian?\b",
    "us": r"\bU\.?S\.?(?:A\.?)?(?![a-z])|\bUnited States\b|\bAmerican?s?\b", "russia": r"\bRussian?\b",
    "vietnam": r"\bVi[eê]t ?[Nn]am(?:ese)?\b", "philippines": r"\bPhilippines?\b|\bFilipinos?\b",
    "indonesia": r"\bIndonesian?\b", "malaysia": r"\bMalaysian?\b", "thailand": r"\bThai(?:land)?\b",
    "singapore": r"\bSingapore(?:an)?\b", "laos": r"\bLao(?:s|tian)?\b", "cambodia": r"\bCambodian?\b",
    "myanmar": r"\bMyanmar\b|\bBurm(?:a|ese)\b", "brunei": r"\bBrunei\b", "timor-leste": r"\bTimor-Leste\b|\bEast Timor\b",
    "australia": r"\bAustralian?s?\b", "korea": r"\bKorean?\b", "britain": r"\bBritain\b|\bBritish\b|\bU\.?K\.?(?![a-z])|\bUnited Kingdom\b",
    "france": r"\bFrance\b|\bFrench\b", "new zealand": r"\bNew Zealand\b", "eu": r"\bEU\b|\bEuropean Union\b",
}.items()}
# a capital names its government ("Tokyo and Hanoi agreed …"), but "held in Jakarta" answers "in what city?"
_CAPITALS = {name: re.compile(rf"\b{city}\b") for name, city in {
    "japan": "Tokyo", "china": "Beijing", "us": "Washington", "russia": "Moscow", "vietnam": "Hanoi",
    "philippines": "Manila", "indonesia": "Jakarta", "australia": "Canberra", "korea": "Seoul"}.items()}


def named_countries(text: str, capitals: bool = True) -> set[str]:
    """The countries `text` names, however it spells them ("the Philippine Coast Guard", "the U.S."), and
    with `capitals` the ones it names by their capital ("Hanoi")."""
    return {name for name, forms in _COUNTRIES.items()
            if forms.search(text) or (capitals and name in _CAPITALS and _CAPITALS[name].search(text))}


def asked_figures(question: str) -> set[str]:
    """The years and figures a question names ("the June 2024 program", "58.9%"): an answer must state them."""
    return {n for n in numbers(question) if len(n) == 4 or "." in n}


def abstain_reason(question: str, context: str, chosen: list[Candidate], needs: list[str],
                    threshold: float, answers: list[Candidate] = (), dated: str = "") -> str | None:
    """Why the chosen evidence does not answer the question, or None. `answers`: the sentences
    judged to answer the question or one of its parts (the best one, each part's answer); `dated`:
    the titles, dates and file names of their documents ("the 2023 meeting" is the one a 2023 release reports)."""
    top = max((c.score for c in chosen), default=0.0)  # the best support, whichever sentence leads
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
        holders = [c for c in chosen if holds(need, c, context, chosen, on_topic=c in answers) and on_topic(c)]
        if which and need in ("date", "place"):
            holders = [c for c in holders if any(gap(c, w) <= 1 for w in which)]
        if need == "person" and _PARTNER_Q.search(question):  # "…with for 2024-2027?": the partner named in the
            # answer's own account, not one of another term paragraphs off
            holders = [c for c in holders if any(gap(c, a) <= 1 or c is a for a in answers)
                       and not _another_term(c, question)]
        if need in QUANTITIES and (places := named_countries(asking_sentence(question)) - {"japan"}):
            holders = [c for c in holders if places & named_countries(f"{c.text} {' '.join(c.borrowed)}")]
        if need in SOFT_NEEDS or holders:
            continue
        if need == "person" and any(names_entity(c, context) for c in answers):
            continue  # "who came second?" — "The US comes in a distant second": a country answers it
        return f"the passages found do not state the {need} asked for"
    text = " ".join(c.text for c in chosen)
    # the years and figures asked must be the answer's too, as the facts asked are; a caption's count
    # ("The State of Southeast Asia 2024:" dates its lines)
    topical = [c for c in chosen if on_topic(c)]
    stated = " ".join(c.text for c in topical) + " " + " ".join(t for c in topical for t in c.borrowed)
    missing = {f for f in asked_figures(question) - numbers(f"{stated} {dated}")  # …or said of what the question
               if not any(f in numbers(c.text) and _qualified(question, f) & c.terms for c in chosen)}  # says it of
    if missing:
        return f"nothing found about {', '.join(sorted(missing))}"
    for word, ordinal in ordinals(question).items():  # "the very first meeting" is not answered by the 2nd; a
        # release titled "… Participation in the 8th … Meeting" says which meeting each of its lines is about
        if not ordinal.search(fold(f"{text} {dated}")):
            return f"the passages found do not say which was the {word}"
    return None

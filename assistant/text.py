"""Word-level text helpers shared by keyword search and evidence selection.

Readers type informally ("defence", "recomend", "Boei gaiko" for "Bōei gaikō"), so tokens are
case- and accent-folded and lightly stemmed; British/American spellings are unified.
"""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as into about over after before between through during
is are was were be been being am do does did done have has had having it its it's this that these those there
here what which who whom whose when where why how whats who's whos can could should would will shall may might
must i me my we our you your he him his she her they them their not no nor so than too very just also any all
each both more most other some such only own same s t don doesn didn pls please tell say said says
actually really much many get got go going one ones thing things way vs versus ok okay else exactly even though
""".split())

_SPELLING = {"defence": "defense", "centre": "center", "programme": "program", "organisation": "organization",
             "recognise": "recognize", "favour": "favor", "labour": "labor", "behaviour": "behavior",
             "dialog": "dialogue", "catalog": "catalogue"}
# Shorthand readers type for the word the documents spell out: "the nov 2023 mtg" → November, meeting.
_SHORTHAND = {"jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june", "jul": "july",
              "aug": "august", "sep": "september", "sept": "september", "oct": "october", "nov": "november",
              "dec": "december", "mtg": "meeting", "mtgs": "meetings", "comms": "communications",
              "govt": "government", "intl": "international", "dept": "department", "yearly": "annual"}
# Irregular past forms, so "who wrote …" meets "written by" and "when was it held" meets "to hold".
IRREGULAR = {"wrote": "write", "written": "write", "ran": "run", "met": "meet", "held": "hold", "sat": "sit",
             "came": "come", "began": "begin", "begun": "begin", "sent": "send", "led": "lead", "made": "make",
             "took": "take", "taken": "take", "gave": "give", "given": "give", "chose": "choose",
             "chosen": "choose", "spoke": "speak", "spoken": "speak", "grew": "grow", "grown": "grow",
             "built": "build", "sought": "seek", "brought": "bring", "thought": "think", "won": "win",
             "saw": "see", "seen": "see", "knew": "know", "known": "know", "rose": "rise", "risen": "rise",
             "drew": "draw", "drawn": "draw", "became": "become", "kept": "keep", "paid": "pay",
             "meant": "mean", "bought": "buy", "sold": "sell", "undertook": "undertake",
             "undertaken": "undertake", "oversaw": "oversee", "overseen": "oversee", "struck": "strike"}
_ADVERB = ("ally", "ely", "tly", "rly", "sly")
# nouns in -ity that are not the quality of an adjective they share a stem with ("authority" is no "author")
_ITY_NOUNS = frozenset("authority priority community university identity quality reality majority minority "
                       "publicity opportunity".split())
_NOT = re.compile(r"n't\b")  # "couldn't" is "could not": both stopwords, as in the documents' own wording
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def fold(text: str) -> str:
    """Lower case without accents: `Bōei gaikō` → `boei gaiko`; curly quotes made straight."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").lower()


def stem(word: str) -> str:
    """A light suffix stripper: enough to match `proposals`/`proposal`, `exercises`/`exercise`;
    spelling variants, shorthand and irregular past forms are first mapped to one word."""
    word = _SPELLING.get(word) or _SHORTHAND.get(word) or IRREGULAR.get(word, word)
    if len(word) <= 3 or word[-1].isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ses", "s"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: len(word) - len(suffix)] + repl
            break
    if word.endswith("ility") and len(word) >= 9:  # "capability" → capabl (capable), "stability" → stabl (stable)
        word = word[:-5] + "le"
    elif word.endswith("ity") and len(word) >= 8 and word not in _ITY_NOUNS:  # "severity" → sever (severe)
        word = word[:-3]
    elif word.endswith("manship") and len(word) >= 10:  # "co-chairmanship" → cochair (co-chairing, co-chaired)
        word = word[:-7]
    elif word.endswith("ition") and len(word) >= 10:  # "definition" → defin (define), not "addition", "tradition"
        word = word[:-5]
    elif word.endswith("ation") and len(word) >= 9:  # "cooperation" → cooperat (cooperate), not "nation", "relation"
        word = word[:-3]
    elif word.endswith(_ADVERB) and len(word) >= 7:  # "bilaterally" → bilateral, "jointly" → joint (not "supply", "assembly")
        word = word[:-2]
    # define/defined/defines/defining → defin; exercise/exercises → exercis
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def plain(text: str) -> str:
    """Folded words joined by single spaces, so a phrase matches across line breaks, markup and
    curly quotes: `"**key players** in\nguarding"` → ` key players in guarding `."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "


def tokens(text: str, keep_stopwords: bool = False) -> list[str]:
    """Search tokens: folded, stemmed, stopwords dropped; hyphenated words also split into parts."""
    out = []
    for raw in _WORD.findall(_NOT.sub(" not", fold(text))):
        raw = raw.replace("'s", "").replace("'", "")
        parts = raw.split("-") if "-" in raw else []
        for word in [raw.replace("-", "")] + parts:
            if word and (keep_stopwords or word not in STOPWORDS):
                out.append(stem(word))
    return out


def numbers(text: str) -> set[str]:
    """Numbers as written (years, counts, percentages), for checking a claim against its source.
    A year a plain-text footnote marker is glued to ("…within the Ministry in 2011.26 Currently") is
    the year too: no decimal has a year before its point."""
    found = set(re.findall(r"\d+(?:[.,]\d+)?", text.replace(",", "")))
    return found | {n.split(".")[0] for n in found if "." in n and YEAR.fullmatch(n.split(".")[0])}


# "… outlined the following three principles.", "… as follows": a list comes next
INTRODUCES = re.compile(r":\s*$|\bthe following\b|\bas follows\b", re.IGNORECASE)
MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")  # as a pattern: "Nov." in "Nov. 2023"
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")

# "in March of the same year", "the following year": a date only the sentences before can complete
_RELATIVE_YEAR = re.compile(rf"\b(?:(?P<month>{MONTHS})\s+(?:of\s+)?)?(?P<when>the same year|that (?:same )?year|"
                            r"the (?P<step>following|next|previous) year)\b")
_YEAR_STEP = {"following": 1, "next": 1, "previous": -1}


def dated_relative(text: str, before: list[str]) -> str:
    """`text` with a relative year made a date: "…concluded in March of the same year, …" → "…concluded in
    March of the same year [i.e. March 2015], …", the year being the last one named before it — earlier in
    the sentence, else in the nearest of the sentences `before` (in reading order) that names one. A
    quoted sentence alone cannot answer "when did Japan sign the memo with Indonesia?"; the gloss keeps
    the document's words and adds the date a reader would work out. Unchanged when no year is found."""
    m = _RELATIVE_YEAR.search(text)
    if m is None:
        return text
    years = next((YEAR.findall(t) for t in [text[:m.start()], *reversed(before)] if YEAR.search(t)), [])
    if not years:
        return text
    year = int(years[-1]) + _YEAR_STEP.get(m.group("step") or "", 0)
    month = m.group("month")
    gloss = f"{month.rstrip('.')} {year}" if month else str(year)
    return f"{text[:m.end()]} [i.e. {gloss}]{text[m.end():]}"

ORDINALS = {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "sixth": "6th",
             "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th"}


_VERBS = "|".join(sorted({*IRREGULAR, *IRREGULAR.values(), "set", "done"}))
_NOT_ORDINAL = re.compile(rf"\bat first\b|\bin the first place\b|\bfirst (?=\w+ed\b|(?:{_VERBS})\b)")
_LAST_OF = re.compile(r"\bthe (?:very )?(?:last|final) (?:of|one)\b")
_LAST = re.compile(r"\b(?:last|final)\b")
_ORDINAL_WORDS = {word: re.compile(rf"\b(?:{word}|{short})\b") for word, short in ORDINALS.items()}


def ordinals(text: str) -> dict[str, re.Pattern]:
    """The ordinals `text` uses ("the fifth meeting", "the 8th …", "the 14th"): word → a pattern matching
    either spelling in folded text (past the tenth, the figure only). "At first" ("initially") and "in
    the first place" ("originally") are not ordinals, nor is "first" before a verb ("where was it first
    published?", "when was it first drawn up?", "when did they first meet?"). "The last of the six" is one
    too: the series' final one."""
    asked = _NOT_ORDINAL.sub("", fold(text))
    found = {word: p for word, p in _ORDINAL_WORDS.items() if p.search(asked)}
    for m in re.finditer(r"\b(\d{2,3})(?:st|nd|rd|th)\b", asked):  # "the 14th forum"
        if int(m.group(1)) > len(ORDINALS):
            found[m.group()] = re.compile(rf"\b{m.group(1)}(?:st|nd|rd|th)\b")
    if _LAST_OF.search(asked):  # "when did vietnam get the last of the six boats?": a date for the last one,
        found["last"] = _LAST  # not the pledge's nor the first one's — "last year" is no ordinal
    return found


def distinguishing_ordinals(text: str) -> list[re.Pattern]:
    """The ordinals of `text` that tell one event from the others ("the fifth meeting", "the 14th forum"):
    all but "first", too common a word ("first, …", "for the first time") to single a passage out."""
    return [pattern for word, pattern in ordinals(text).items() if word != "first"]

"""Is a generated sentence supported by the evidence it cites?

A small model paraphrases, and sometimes invents a number or cites the wrong passage. The app
keeps a generated sentence only when this check passes, so every rule below is one way a
sentence can claim more than its citations say:

1. every number (dates, years, counts, ordinals like "8th") appears in the cited texts;
2. capitalised names and acronyms are mostly present (a wrong minister or country fails);
3. enough content words are shared (a sentence citing an unrelated passage fails);
4. with an embedding function, the sentence is close in meaning to its best cited text.

Text is compared after folding case, diacritics, quotes and dashes, so "Prabowo’s" and
"Prabowo's" or "Défense" and "Defense" count as the same word.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable

Embed = Callable[[list[str]], list[list[float]]]

MIN_NAME_SHARE = 0.75  # "mostly present": one of four names may be a paraphrase ("Japanese")
MIN_WORD_OVERLAP = 0.5  # share of the sentence's content words found in the cited texts
# Cosine with all-MiniLM-L6-v2. Measured on the Kihara meeting sentences: faithful paraphrases
# 0.53–0.98, the same claims against the wrong sentence 0.18–0.53. The overlap goes both ways, so
# this is a backstop for rules 1–3 (which reject those wrong pairs), not a test on its own.
MIN_SIMILARITY = 0.5

_WORD = re.compile(r"[^\W_]+(?:[.,:/][0-9]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_NUMBER_WORDS = {
    word: str(n)
    for n, words in enumerate(
        [
            (),
            ("one", "first"),
            ("two", "second"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
            ("eleven", "eleventh"),
            ("twelve", "twelfth"),
        ]
    )
    for word in words
}
_STOPWORDS = set(
    """a an the and or but nor of to in on at by for with from as into onto over under about after
    before between during through than then that this these those there here it its it's is are was
    were be been being has have had do does did will would shall should can could may might must not
    no also such so very more most less many much some any each every other both either neither own
    same which who whom whose what when where why how he she they them their his her we us our you
    your i me my while although though because if whether only just well even further including
    said says stated state stating noted according""".split()
)


def fold(text: str) -> str:
    """Lower-case, without diacritics, with typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}))
    return text.casefold()


def _numbers(text: str, with_parts: bool = False) -> set[str]:
    """Numbers in canonical form: '1,000' → '1000', '8th' → '8', '15.' → '15'.

    `with_parts` adds the pieces of compound numbers, for the cited side: "2023/11/15" holds
    "2023", and "15,2023" (a date without its space) holds "15".
    """
    found = set()
    for match in _NUMBER.finditer(text):
        value = re.sub(r"(?<=\d),(?=\d{3}\b)", "", match.group())
        found.add(value)
        if with_parts:
            found.update(re.split(r"[.,:/]", match.group()))
    return found


def _stem(word: str) -> str:
    """A crude stem: enough to match 'cooperation'/'cooperative' and 'meetings'/'meeting'."""
    word = word.strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 6:
        return word[:6]
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _content_words(folded: str) -> set[str]:
    words = (w for w in _WORD.findall(folded) if not w[0].isdigit())
    return {_stem(w) for w in words if len(w) > 2 and w not in _STOPWORDS}


def _names(sentence: str) -> set[str]:
    """Capitalised words that are not just the start of the sentence, and acronyms anywhere."""
    names = set()
    for index, match in enumerate(re.finditer(r"[^\W\d_][\w'’-]*", sentence)):
        word = match.group()
        plain = re.sub(r"['’]s?$", "", word)  # "Kihara's", "Ministers'"
        is_acronym = sum(c.isupper() for c in plain) >= 2
        if not (is_acronym or (plain[:1].isupper() and index > 0)):
            continue
        if fold(plain) in _STOPWORDS:
            continue
        names.update(part for part in re.split(r"-", fold(plain)) if part)
    return names


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def check(sentence: str, cited: list[str], embed: Embed | None = None) -> tuple[bool, str]:
    """`(True, "")` when `sentence` is supported by the `cited` texts, else `(False, reason)`."""
    if not sentence.strip():
        return False, "empty sentence"
    cited = [text for text in cited if text and text.strip()]
    if not cited:
        return False, "cites no evidence"
    folded_sentence, folded_cited = fold(sentence), fold(" \n ".join(cited))

    cited_numbers = _numbers(folded_cited, with_parts=True) | {n for w, n in _NUMBER_WORDS.items() if re.search(rf"\b{w}\b", folded_cited)}
    for number in sorted(_numbers(folded_sentence)):
        if number not in cited_numbers:
            return False, f"the number {number} is not in the cited evidence"

    cited_words = set(re.split(r"\W+", folded_cited))
    cited_content = _content_words(folded_cited)
    names = _names(sentence)
    missing = sorted(name for name in names if name not in cited_words and _stem(name) not in cited_content)
    if names and (len(names) - len(missing)) / len(names) < MIN_NAME_SHARE:
        return False, f"names not in the cited evidence: {', '.join(missing)}"

    miscopied = _miscopied_name(sentence, cited)
    if miscopied:
        return False, f"the name {miscopied[0]!r} is not copied exactly (the evidence has {miscopied[1]!r})"

    words = _content_words(folded_sentence)
    if words:
        share = len(words & cited_content) / len(words)
        if share < MIN_WORD_OVERLAP:
            return False, f"too few words in common with the cited evidence ({share:.0%})"

    if embed is not None:
        vectors = embed([sentence, *cited])
        best = max(_cosine(vectors[0], vector) for vector in vectors[1:])
        if best < MIN_SIMILARITY:
            return False, f"meaning too far from the cited evidence (cosine {best:.2f})"
    return True, ""


# "Japan Marine United", "Defense Minister Eto", "JASMINE": a run of capitalised words
_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:of|for|and|the|de)?\s*[A-Z][\w'’-]*)*")


def _name_runs(text: str) -> list[list[str]]:
    """Multiword names of `text`, folded, without a leading "The"/"In": [["japan", "marine", …]]."""
    runs = []
    for match in _NAME_RUN.finditer(text):
        words = fold(match.group()).split()
        while words and words[0] in _STOPWORDS:
            words = words[1:]
        if len(words) >= 2:
            runs.append(words)
    return runs


def _miscopied_name(sentence: str, cited: list[str]) -> tuple[str, str] | None:
    """A name the sentence writes with one word changed from a name of the evidence ("Japanese
    Marine United" for "Japan Marine United", "Prime Minister Kishida" for "Prime Minister Abe"):
    rule 2 lets one word in four be a paraphrase, but inside a name it makes a different name.
    Names worded another way ("Defense Minister Kihara" for "Minister of Defense Kihara") differ
    in length and pass."""
    folded_cited = " ".join(" ".join(fold(text).split()) for text in cited)
    theirs = [run for text in cited for run in _name_runs(text)]
    for mine in _name_runs(sentence):
        if " ".join(mine) in folded_cited:
            continue
        for run in theirs:
            if len(run) == len(mine) and sum(a != b for a, b in zip(mine, run)) == 1:
                return " ".join(mine), " ".join(run)
    return None


def news(evidence: str, question: str, compounds: bool = False) -> set[str]:
    """What `evidence` tells that `question` does not: its numbers and its names (runs of capitalised
    words, the sentence's first word only when it is part of a longer name), folded; with
    `compounds`, its hyphenated terms too ("exclusively defense-oriented policy")."""
    asked = fold(question)
    numbered = re.match(r"\W*(\d+)\.\s", evidence)  # "8. Minister Kihara also explained …": the paragraph's number
    facts = {n for n in _numbers(fold(evidence)) if n not in _numbers(asked) and not (numbered and n == numbered.group(1))}
    if compounds:
        facts |= {w for w in re.findall(r"\b[a-z]+-[a-z]+(?:-[a-z]+)*\b", fold(evidence)) if w not in asked}
    for match in _NAME_RUN.finditer(evidence):
        name = re.sub(r"['’]s?$", "", match.group())
        if (match.start() == 0 and " " not in name) or fold(name) in _STOPWORDS:
            continue
        if not all(word in asked for word in fold(name).split()):
            facts.add(fold(name))
    return facts


def keeps_news(sentences: list[str], evidence: str, question: str, compounds: bool = False) -> bool:
    """Does a rewrite of `evidence` still say something the question did not? "Japan is building
    the patrol vessels" for "…signed a contract with the Japan Marine United Cooperation to build
    the vessels" passes every check above, yet has lost the one fact "who's building them?" asked
    for. One of the evidence's names (whole) or numbers — with `compounds`, or hyphenated terms —
    must survive; evidence with none passes."""
    facts = news(evidence, question, compounds)
    said = fold(" ".join(sentences))
    return not facts or any(fact in said for fact in facts)


def supported(sentence: str, cited: list[str], embed: Embed | None = None) -> bool:
    """Whether `sentence` is supported by the `cited` texts (see `check` for the reason)."""
    return check(sentence, cited, embed)[0]

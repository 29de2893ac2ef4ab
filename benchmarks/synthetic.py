"""A deterministic synthetic corpus shaped like `corpus/`, for scale runs, crash trials and parser tests.

Two shapes, as in the real corpus:

- **markdown** (`.md`): `#` headings, unicode-superscript markers after a word, a full stop or a
  closing quote (`peace.”¹²`), and an end-notes section of `¹ text` paragraphs and `- ² text` list
  items, some of them `Ibid.` or a short title repeating an earlier note;
- **PDF text dumps** (`.txt`): hard-wrapped at ~100 characters with a trailing space, plain digit
  markers glued to the word or punctuation before them (`Southeast Asia.3`), page-bottom note
  blocks that interrupt the body (a blank line, then `3 Author, “Title,” 2014, p. 5.`), each page
  resuming on a line that starts with a single space, a `*` author note on the first page, and
  years, `G20`, `F-35`, numbered headings and list numbers that must not be read as markers.

Every generated document knows where its markers are (`SyntheticDoc.markers`: number and offsets
into the text) and what each note says and repeats, so tests can check the parser exactly. At the
default passage size a document makes about 30 passages: 1,000 documents ≈ 30,000 passages.

Same (seed, index, revision) → the same bytes on any machine: every random choice comes from a
`random.Random` seeded with a string (hashed with SHA-512, not Python's per-process salted hash).
A hidden `.synthetic.json` in the folder (ingest skips dot-files) records what was generated, so
`mutate` can edit, add and delete documents and `expected_docs` can say what each file must parse to.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

STATE_FILE = ".synthetic.json"
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A marker is first written with private-use digits, one character per digit, so the offsets found
# after layout (wrapping, pagination) hold once they are swapped for real digits or superscripts.
_PUA = "".join(chr(0xE000 + d) for d in range(10))
_TO_ASCII = str.maketrans(_PUA, "0123456789")
_TO_SUPERSCRIPT = str.maketrans(_PUA, _SUPERSCRIPT)

_SUBJECTS = [
    "Japan", "The Ministry of Defense", "ASEAN", "The Self-Defense Forces", "Tokyo", "The Philippines", "Vietnam",
    "Indonesia", "The Japan Coast Guard", "The alliance", "Regional partners", "The government", "Defense planners",
    "The Foreign Ministry", "Malaysia", "Australia", "The Pacific Island Countries", "Thailand", "Singapore",
    "The defense minister", "Each member state", "The secretariat", "Maritime agencies", "The joint staff",
    "Senior officials", "The cabinet", "Parliament", "The navy", "Partner militaries", "The working group",
]
_VERBS = [
    "has expanded", "continues to support", "announced", "strengthened", "proposed", "reviewed", "promoted", "funded",
    "launched", "coordinated", "reaffirmed", "deepened", "institutionalized", "prioritized", "broadened", "hosted",
    "sought to improve", "agreed to extend", "committed to", "pledged to sustain", "began to fund", "evaluated",
]
_OBJECTS = [
    "capacity building assistance", "maritime domain awareness", "joint exercises", "port calls",
    "humanitarian assistance and disaster relief", "defense equipment transfers", "staff talks",
    "ship rider programs", "information sharing", "cyber security training", "coastal surveillance radars",
    "peacekeeping training", "search and rescue drills", "legal training for coast guards", "military medicine courses",
    "air safety dialogues", "mine clearance projects", "patrol vessel deliveries", "officer exchanges",
    "strategic communications", "logistics agreements", "hydrographic surveys", "defense industry cooperation",
]
_PARTNERS = ["Vietnam", "the Philippines", "Indonesia", "Malaysia", "Thailand", "Cambodia", "Laos", "Myanmar",
             "Brunei", "Singapore", "Timor-Leste", "Papua New Guinea", "Fiji", "Tonga", "Australia", "India"]
_INITIATIVES = ["Vientiane Vision", "JASMINE initiative", "Free and Open Indo-Pacific vision",
                "Official Security Assistance framework", "Ship Rider Cooperation Program", "ADMM-Plus process",
                "Pacific Islands Defense Dialogue", "Expert Working Group on Maritime Security"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
# Phrases with numbers that are not footnote markers (years, names with digits, decimals of versions).
_DISTRACTORS = [
    "at the G20 summit in {year}", "including F-35 fighters", "since the 1990s", "in fiscal year {year}",
    "among the top 10 recipients", "by December {year}", "under the 2015 guidelines", "in about 45 percent of cases",
    "after the {year} review", "with 3 new patrol boats", "during the 2+2 dialogue", "under Vision 2.0",
]
_TAILS = [
    "with {partner}", "in {month} {year}", "under the {initiative}", "across Southeast Asia",
    "as part of the {initiative}", "to address gray-zone coercion", "despite budget constraints",
    "through bilateral consultations", "in cooperation with {partner}", "for the first time since {year}",
    "at the request of {partner}", "within the {codename} program",
]
_CLAUSES = [
    "while keeping the dialogue open", "so that partners can act on their own", "which observers welcomed",
    "although progress remained uneven", "because regional needs kept growing", "as the security environment changed",
]
_HEADING_WORDS = [
    "Maritime Security", "Capacity Building", "Defense Diplomacy", "Regional Architecture", "Equipment Transfers",
    "Information Sharing", "Disaster Relief", "Strategic Communications", "Pacific Islands", "Rule of Law",
    "Coast Guard Cooperation", "Multilateral Frameworks", "Bilateral Partnerships", "Peacekeeping",
]
_PUBLISHERS = ["National Institute for Defense Studies", "Sasakawa Peace Foundation", "Ministry of Defense",
               "Institute of Southeast Asian Studies", "Center for Strategic Studies", "Lowy Institute"]
_AUTHORS = ["Tomotaka Shoji", "Riho Aizawa", "Ippeita Nishida", "Chiyuki Aoi", "Ian Storey", "John Lee",
            "Tsuneo Watanabe", "Kohtaro Ito", "Mie Oba", "Kei Koga", "Lam Peng Er", "Rommel Banlaoi"]
_TITLE_WORDS = ["Strategic", "Possibilities", "Limitations", "Partnership", "Engagement", "Security", "Order",
                "Cooperation", "Dialogue", "Assistance", "Maritime", "Regional", "Evolving", "Pursuing", "Relevant",
                "Architecture", "Balancing", "Resilience", "Navigation", "Deterrence", "Connectivity", "Trust"]


@dataclass(frozen=True)
class SyntheticNote:
    number: int
    text: str
    refers_to: int | None  # what ingest.footnotes.resolve_references must link it to (Ibid., short title)


@dataclass
class SyntheticDoc:
    name: str
    kind: str  # "md" | "txt"
    text: str
    markers: list[tuple[int, int, int]]  # (number, start, end): offsets into `text`
    notes: dict[int, SyntheticNote]
    headings: list[str] = field(default_factory=list)


# --- content shared by both shapes ------------------------------------------------------------
@dataclass
class _Sentence:
    text: str  # with a private-use marker inside, if any
    marker: int | None = None


@dataclass
class _Paragraph:
    sentences: list[_Sentence]


@dataclass
class _Section:
    heading: str
    paragraphs: list[_Paragraph]


def _pua(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", _PUA))


def _superscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", _SUPERSCRIPT))


def _fill(template: str, rng: random.Random, codename: str) -> str:
    return template.format(partner=rng.choice(_PARTNERS), month=rng.choice(_MONTHS), year=rng.randint(1995, 2024),
                           initiative=rng.choice(_INITIATIVES), codename=codename)


def _sentence_text(rng: random.Random, codename: str) -> str:
    words = [rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS), _fill(rng.choice(_TAILS), rng, codename)]
    if rng.random() < 0.5:
        words.append(_fill(rng.choice(_TAILS), rng, codename))
    if rng.random() < 0.2:
        words.append(_fill(rng.choice(_DISTRACTORS), rng, codename))
    if rng.random() < 0.3:
        words[-1] += ","
        words.append(rng.choice(_CLAUSES))
    return " ".join(words)


def _place_marker(text: str, number: int, rng: random.Random) -> str:
    """Put marker `number` after the sentence, after a closing quote, or after a word inside it."""
    mark = _pua(number)
    style = rng.random()
    if style < 0.6:
        return f"{text}.{mark}"
    if style < 0.75:
        head, _, last = text.rpartition(" ")
        return f"{head} “{last}.”{mark}"
    words = text.split(" ")
    i = rng.randrange(2, len(words) - 1)
    if not words[i].isalpha():  # after `2015` or `2+2` it would read as one number (`201512`)
        return f"{text}.{mark}"
    words[i] += mark
    return " ".join(words) + "."


def _title(rng: random.Random, used: set[str]) -> str:
    while True:
        words = rng.sample(_TITLE_WORDS, 3)
        title = f"{words[0]} {words[1]} and {words[2]} in {rng.choice(_PARTNERS).replace('the ', '')} Relations"
        key = title.lower()[:30]
        if not any(key in u or u[:30] in title.lower() for u in used):
            used.add(title.lower())
            return title


def _notes(count: int, rng: random.Random) -> dict[int, SyntheticNote]:
    """Full citations, `Ibid.` notes and short-title notes, with the link each must resolve to."""
    notes: dict[int, SyntheticNote] = {}
    full: list[tuple[int, str, str]] = []  # (number, author, title)
    titles: set[str] = set()
    for n in range(1, count + 1):
        roll = rng.random()
        if n > 1 and roll < 0.15:
            prev = notes[n - 1]
            text = rng.choice(["Ibid.", f"Ibid., {rng.randint(2, 300)}.", f"Ibid., pp. {rng.randint(2, 90)}-{rng.randint(91, 200)}."])
            notes[n] = SyntheticNote(n, text, prev.refers_to or prev.number)
        elif full and roll < 0.3:
            number, author, title = rng.choice(full)
            notes[n] = SyntheticNote(n, f"{author.split()[-1]}, “{title},” p. {rng.randint(2, 300)}.", number)
        else:
            author, title = rng.choice(_AUTHORS), _title(rng, titles)
            text = (f"{author}, “{title},” {rng.choice(_PUBLISHERS)}, {rng.choice(_MONTHS)} {rng.randint(1, 28)}, "
                    f"{rng.randint(1995, 2024)}, p. {rng.randint(1, 300)}.")
            if rng.random() < 0.4:
                text = text[:-1] + f", https://www.example.org/{rng.choice(['research', 'press', 'docs'])}/{rng.randint(1000, 99999)}.html."
            notes[n] = SyntheticNote(n, text, None)
            full.append((n, author, title))
    return notes


def _content(seed: int, index: int, revision: int, scale: float) -> tuple[str, str, str, list[_Section], dict[int, SyntheticNote]]:
    """Title, subtitle, author, sections and notes of one document version (`scale` < 1: fewer sections)."""
    rng = random.Random(f"footnotes-synthetic:{seed}:{index}:structure")
    codename = rng.choice(["Kestrel", "Harbor", "Lantern", "Meridian", "Coral", "Sentinel"]) + f"-{index:05d}"
    first, second = rng.sample(_HEADING_WORDS, 2)
    title = f"{first} and {second} in the Indo-Pacific"
    adjective, noun = rng.sample(_TITLE_WORDS, 2)
    subtitle = f"Pursuing {adjective} {noun} with {rng.choice(_PARTNERS)}"
    author = rng.choice(_AUTHORS)
    # which paragraphs each revision rewrote (the structure — markers, notes — stays the same)
    touched: dict[tuple[int, int], int] = {}
    shape = [rng.randint(4, 6) for _ in range(max(1, round(rng.randint(5, 7) * scale)))]  # paragraphs per section
    for r in range(1, revision + 1):
        edit = random.Random(f"footnotes-synthetic:{seed}:{index}:edit:{r}")
        for _ in range(edit.randint(1, 2)):
            s = edit.randrange(len(shape))
            touched[(s, edit.randrange(shape[s]))] = r
    sections: list[_Section] = []
    headings: set[str] = set()
    marker = 0
    for s, n_paragraphs in enumerate(shape):
        heading = "Introduction" if s == 0 else f"{rng.choice(_HEADING_WORDS)} with {rng.choice(_PARTNERS)}"
        while heading in headings:
            heading += " Revisited"
        headings.add(heading)
        paragraphs = []
        for p in range(n_paragraphs):
            n_sentences = rng.randint(5, 8)
            marked = [rng.random() < 0.2 for _ in range(n_sentences)]
            words = random.Random(f"footnotes-synthetic:{seed}:{index}:{s}:{p}:{touched.get((s, p), 0)}")
            sentences = []
            for has_marker in marked:
                text = _sentence_text(words, codename)
                if has_marker:
                    marker += 1
                    sentences.append(_Sentence(_place_marker(text, marker, words), marker))
                else:
                    sentences.append(_Sentence(text + "."))
            paragraphs.append(_Paragraph(sentences))
        sections.append(_Section(heading, paragraphs))
    return title, subtitle, author, sections, _notes(marker, rng)


def _finish(name: str, kind: str, text: str, notes: dict[int, SyntheticNote], headings: list[str]) -> SyntheticDoc:
    """Swap private-use digits for real markers and record where each one landed."""
    markers = []
    i = 0
    while i < len(text):
        if text[i] in _PUA:
            j = i
            while j < len(text) and text[j] in _PUA:
                j += 1
            markers.append((int(text[i:j].translate(_TO_ASCII)), i, j))
            i = j
        else:
            i += 1
    table = _TO_SUPERSCRIPT if kind == "md" else _TO_ASCII
    return SyntheticDoc(name, kind, text.translate(table), markers, notes, headings)


# --- markdown ---------------------------------------------------------------------------------
def _markdown(name: str, seed: int, index: int, revision: int, scale: float) -> SyntheticDoc:
    title, subtitle, author, sections, notes = _content(seed, index, revision, scale)
    rng = random.Random(f"footnotes-synthetic:{seed}:{index}:md")
    out = [f"# {title}", "", f"## {subtitle}", "", f"By {author}", "",
           f"Keywords: {', '.join(rng.sample(_HEADING_WORDS, 3))}", ""]
    headings = [title, subtitle]
    for s, section in enumerate(sections):
        level = "##" if s == 0 or rng.random() < 0.7 else "###"
        heading = section.heading if level == "##" else f"({s}) {section.heading}"
        out += [f"{level} {heading}", ""]
        headings.append(heading)
        for paragraph in section.paragraphs:
            out += [" ".join(sentence.text for sentence in paragraph.sentences), ""]
    out += ["## Notes", ""]
    headings.append("Notes")
    switch = rng.randint(1, max(1, len(notes)))  # `¹ text` paragraphs, then `- ² text` list items
    for n, note in notes.items():
        if n < switch:
            out += [f"{_superscript(n)} {note.text}", ""]
        else:
            out.append(f"- {_superscript(n)} {note.text}")
    out += ["", "The views expressed in this paper are the author's own and do not represent any institution.", ""]
    return _finish(name, "md", "\n".join(out), notes, headings)


# --- PDF-like text ----------------------------------------------------------------------------
def _wrap(text: str, width: int, note: bool = False) -> list[str]:
    """Greedy word wrap. Note lines never end a line in `.`/`)` before the note ends, and no
    continuation starts with a digit: the parser reads those as the end of a note or a new one."""
    words = text.split(" ")
    lines: list[str] = []
    i = 0
    while i < len(words):
        j, length = i, 0
        while j < len(words) and (j == i or length + 1 + len(words[j]) <= width):
            length += len(words[j]) + (j > i)
            j += 1
        if note and j < len(words):
            while j - 1 > i and (words[j - 1].endswith((".", ")")) or words[j][:1].isdigit()):
                j -= 1
        lines.append(" ".join(words[i:j]))
        i = j
    return lines


def _pdf_text(name: str, seed: int, index: int, revision: int, scale: float) -> SyntheticDoc:
    title, subtitle, author, sections, notes = _content(seed, index, revision, scale)
    rng = random.Random(f"footnotes-synthetic:{seed}:{index}:txt")
    width = rng.randint(92, 100)
    page_lines = max(12, int(rng.randint(38, 46) * min(1.0, 2 * scale)))  # small documents: small pages
    lines: list[str] = [f" {title}:", f"{subtitle} ", "", f"{author}*", ""]
    pending: list[str] = [f"* Senior Fellow, {rng.choice(_PUBLISHERS)}"]  # notes due at the page bottom
    on_page = len(lines)
    headings: list[str] = []  # the two-line title block is the document's title, not a section

    def page_break() -> None:
        nonlocal pending, on_page
        if pending:
            lines.append("")
            lines.extend(pending)
            pending = []
        on_page = 0

    for s, section in enumerate(sections):
        heading = section.heading if s == 0 or rng.random() < 0.6 else f"{s + 1}. {section.heading}"
        lines += [heading, ""]
        headings.append(heading)
        on_page += 2
        for paragraph in section.paragraphs:
            body = " ".join(sentence.text for sentence in paragraph.sentences)
            wrapped = _wrap(body, width)
            for k, line in enumerate(wrapped):
                resume = on_page >= page_lines
                if resume:
                    page_break()
                shown = (" " if resume else "") + line + (" " if k < len(wrapped) - 1 else "")
                lines.append(shown)
                on_page += 1
                for number in _markers_in(line):
                    if number in notes:
                        pending.extend(_wrap(f"{number} {notes[number].text}", width, note=True))
            lines.append("")
            on_page += 1
    if pending:
        lines.append("")
        lines.extend(pending)
    return _finish(name, "txt", "\n".join(lines) + "\n", notes, headings)


def _markers_in(line: str) -> list[int]:
    out, run = [], ""
    for c in line + " ":
        if c in _PUA:
            run += c
        elif run:
            out.append(int(run.translate(_TO_ASCII)))
            run = ""
    return out


# --- public API -------------------------------------------------------------------------------
def kind_of(seed: int, index: int) -> str:
    return "md" if random.Random(f"footnotes-synthetic:{seed}:{index}:kind").random() < 0.5 else "txt"


def doc_name(seed: int, index: int) -> str:
    return f"syn-{index:05d}.{kind_of(seed, index)}"


def generate(seed: int, index: int, revision: int = 0, scale: float = 1.0) -> SyntheticDoc:
    """Document `index` of the corpus `seed`, as revision `revision` edited it. `scale` 1.0 gives
    ~30 passages; 0.2 gives ~6 (small documents for tests that start many processes)."""
    name = doc_name(seed, index)
    if kind_of(seed, index) == "md":
        return _markdown(name, seed, index, revision, scale)
    return _pdf_text(name, seed, index, revision, scale)


def _write(folder: Path, doc: SyntheticDoc) -> Path:
    path = folder / doc.name
    tmp = folder / f".{doc.name}.tmp"
    tmp.write_text(doc.text, encoding="utf-8", newline="")
    tmp.replace(path)  # a reader (or a running ingest) sees the old or the new file, never half
    return path


def _load_state(folder: Path) -> dict:
    path = folder / STATE_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: create the corpus with write_corpus() first")
    return json.loads(path.read_text(encoding="utf-8"))


def _save_state(folder: Path, state: dict) -> None:
    (folder / STATE_FILE).write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")


def write_corpus(folder: Path | str, n: int, seed: int = 0, scale: float = 1.0) -> list[Path]:
    """Write `n` documents into `folder` (created if needed); returns their paths in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [_write(folder, generate(seed, i, 0, scale)) for i in range(n)]
    _save_state(folder, {"seed": seed, "scale": scale, "next": n,
                         "docs": {p.name: {"index": i, "revision": 0} for i, p in enumerate(paths)}})
    return paths


def mutate(folder: Path | str, fraction: float, seed: int = 0,
           mix: tuple[float, float, float] = (0.7, 0.15, 0.15)) -> dict[str, list[str]]:
    """Change about `fraction` of the documents (at least one): by default mostly edits (a paragraph
    or two rewritten), some new documents and some deletions — `mix` is the (edit, add, delete)
    share. Returns the file names per kind of change."""
    folder = Path(folder)
    state = _load_state(folder)
    rng = random.Random(f"footnotes-synthetic-mutate:{state['seed']}:{state['next']}:{seed}:{len(state['docs'])}")
    names = sorted(state["docs"])
    count = max(1, round(fraction * len(names)))
    changes: dict[str, list[str]] = {"edited": [], "added": [], "deleted": []}
    for name in rng.sample(names, min(count, len(names))):
        roll = rng.random() * sum(mix)
        if roll < mix[2] and len(state["docs"]) > 1:
            (folder / name).unlink(missing_ok=True)
            del state["docs"][name]
            changes["deleted"].append(name)
        elif roll < mix[2] + mix[1]:
            index = state["next"]
            state["next"] += 1
            path = _write(folder, generate(state["seed"], index, 0, state.get("scale", 1.0)))
            state["docs"][path.name] = {"index": index, "revision": 0}
            changes["added"].append(path.name)
        else:
            entry = state["docs"][name]
            entry["revision"] += 1
            _write(folder, generate(state["seed"], entry["index"], entry["revision"], state.get("scale", 1.0)))
            changes["edited"].append(name)
    _save_state(folder, state)
    return changes


def expected_docs(folder: Path | str) -> dict[str, SyntheticDoc]:
    """What every file in `folder` was generated as (per the folder's `.synthetic.json`)."""
    state = _load_state(Path(folder))
    scale = state.get("scale", 1.0)
    return {name: generate(state["seed"], e["index"], e["revision"], scale) for name, e in state["docs"].items()}


if __name__ == "__main__":  # python -m benchmarks.synthetic FOLDER N [SEED]
    import sys

    made = write_corpus(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    print(f"wrote {len(made)} documents to {sys.argv[1]}")

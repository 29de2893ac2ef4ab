"""Answers for each part of a multi-part question ("when was it started, and where was the fifth one?").

Searched as one string, the part with the rarer words would win every evidence slot; so each part
gets its own answer sentence — the one closest to the part that states the kind of fact it asks for
(`needs.py`) — and, when that sentence lacks the fact, the neighbour that states it.
"""

from __future__ import annotations

import numpy as np

from assistant.candidates import Candidate, gap, is_bibliographic, repeats, sentence_vector
from assistant.companions import states_ordinal
from assistant.index import CorpusIndex
from assistant.needs import SOFT_NEEDS, dated_notes, holds, names_entity, question_needs, wants_source
from assistant.question import Part, asking_sentence, question_focus
from assistant.text import YEAR, distinguishing_ordinals, tokens
from assistant.weights import NAMED_BONUS, coverage, term_weights

PART_RELEVANT = 0.8  # a sentence answers a part if it scores this close to the part's best
PART_CHOSEN = 0.9  # …and one already chosen is preferred if it scores this close
FOCUS_SHARE = 0.6  # a sentence names a part's focus if it holds this share of the focus words
PART_NEARBY = 0.6  # …and may supply the date or name the part asks for if it scores this close
NAME_CLOSE = 0.9
NAME_MAX_SHARE = 0.15  # a name in a part that fewer passages than this share hold must be in the part's answer
ORDINAL_BOOST = 1.5  # for a sentence stating the ordinal a part names ("the 5th one")
PREMISE_SHARE = 0.6  # a sentence holding this share of a question's opening statement only restates it


def part_needs(part: Part) -> list[str]:
    """The kinds of fact a part asks for; "…, and how did the US do?" asks what the part before it asks."""
    return question_needs(part.clause) or (question_needs(part.like) if part.like else [])


def cover_parts(index: CorpusIndex, question: str, parts: list[Part], pool: list[Candidate],
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
    order = sorted(range(len(parts)), key=lambda i: (not set(part_needs(parts[i])) - SOFT_NEEDS,
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
        holding = [c for c in nearby if names and names <= c.terms | index.doc_terms[c.file]]  # "in the sasakawa
        # proposal": any sentence of the Sasakawa report holds its name
        holding = [c for c in holding if not any(c is o for o in keep.values())] or holding  # one of its own, as above
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
        for need in sorted(part_needs(part), key=lambda n: n in SOFT_NEEDS):
            stated = [c for c in chosen if c in relevant and holds(need, c, question, chosen, on_topic=True)
                      and not _dates_another(c, need, i, parts, scores, keep)]
            if stated and answer not in stated and not fetched and need == "person":
                answer = max(stated, key=lambda c: score[id(c)])  # "who would run it?": the chosen one that says who
            if stated or (fetched and need in SOFT_NEEDS):  # a name the question gives anywhere is not the answer
                continue
            sources = following + nearby if need == "reason" else nearby
            if need == "ordinal":  # "which edition was the June 2024 program?": perhaps only a note's title says
                sources = sources + [n for n in dated_notes(question, pool, lambda n: score[id(n)]) if n not in sources]
            stating = [c for c in sources if holds(need, c, question, chosen, on_topic=True)]
            holder = next((c for c in stating if not any(c is o for o in keep.values())), stating[0] if stating else None)
            if holder is None and need == "person":  # "who came second?": a country or a body may be the answer
                holder = next((c for c in relevant if names_entity(c, question)), None)
            if holder is not None:
                answer, fetched = holder, True
        if answer not in chosen:  # however many the greedy pass chose: `_fit` drops those, not a part's answer
            chosen.append(answer)
        keep[i] = answer
    return [keep[i] for i in range(len(parts))]


def _dates_another(c: Candidate, need: str, i: int, parts: list[Part], scores: list[dict[int, float]],
                   keep: dict[int, Candidate]) -> bool:
    """Is `c`'s one year the answer to another part asking "when" — one it fits better than part `i`, or
    one that already took it as its answer? "When did the ADMM get going, when was the plus version
    added?": "In 2010 the ADMM "Plus" was established …" dates the second; the first needs a year of its
    own ("launched in 2006")."""
    if need != "date" or len(set(YEAR.findall(c.text))) != 1:
        return False
    if any(j != i and o is c and "date" in part_needs(parts[j]) for j, o in keep.items()):
        return True
    def fit(j: int) -> float:
        return scores[j][id(c)] / max(max(scores[j].values(), default=0.0), 1e-9)
    return any(j != i and "date" in part_needs(parts[j]) and fit(j) > fit(i) for j in range(len(parts)))


def _part_scores(index: CorpusIndex, part: Part, pool: list[Candidate], embed) -> dict[int, float]:
    """How well each sentence answers one part: cosine to the part, and the share of its weighted words."""
    weights = term_weights(index, part.answered, question_focus(part.clause))  # the clause's focus, not the context's
    query = np.asarray(part.answer_vector, dtype=np.float32)
    named = index.named_documents(tokens(part.clause))  # "…according to the 2025 newsletter?": that one says it
    # "where was the 5th one?": the sentence saying "the fifth meeting", not the 14th's or the 8th's
    asked = distinguishing_ordinals(part.clause)
    score = {}
    for c in pool:
        v = sentence_vector(index, c, embed)
        sim = float(v @ query) if v.shape == query.shape else 0.0
        score[id(c)] = 0.5 * sim + 0.5 * coverage(weights, c.terms) + (NAMED_BONUS if c.file in named else 0.0)
        if not wants_source(part.clause) and is_bibliographic(c):
            score[id(c)] *= 0.5  # as in `select`: a bibliographic note answers "what is the source"
        if asked and all(states_ordinal(c.text, o, part.clause) for o in asked):
            score[id(c)] *= ORDINAL_BOOST
    return score


def beside_parts(index: CorpusIndex, parts: list[Part], keep: list[Candidate], chosen: list[Candidate],
                  pool: list[Candidate], context: str, embed) -> list[Candidate]:
    """Sentences right beside a part's answer that state a fact a part asks for which the answer so
    far lacks: "when was it started, and where was the fifth one?" — "Tokyo established an annual
    meeting … in 2009." stands just before "In February 2014 the fifth meeting was held in Okinawa".
    Of the neighbours stating it, the one closest in meaning to the part's own clause is taken: they
    are all on the topic, and what tells them apart is what the clause asks ("started")."""
    found: list[Candidate] = []
    for part in parts:
        query = None
        for need in part_needs(part):
            if need in SOFT_NEEDS or any(holds(need, c, context, chosen + found) for c in chosen + found):
                continue
            options = [c for c in pool if c not in chosen + found and any(0 < gap(c, k) <= 1 for k in keep)
                       and holds(need, c, context, chosen + found)]
            if len(options) > 1 and query is None:
                # "… in feb 2025. when was it started"
                query = np.asarray(embed([asking_sentence(part.clause)])[0], dtype=np.float32)
            if options:
                found.append(max(options, key=lambda c: float(sentence_vector(index, c, embed) @ query) if query is not None else 0))
    return found

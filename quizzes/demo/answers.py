"""Plausible answers for the demo: the form a person would post on an attempt page.

Answers go through the attempt service like a browser's (``save_answers`` parses this form,
``submit`` grades it), so scores, answer choices and completion are the real ones. Every
random draw comes from a generator seeded per person, so the demo is the same on every load.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from quizzes.demo import texts as demo_texts
from quizzes.models import Attempt, Purpose, Question
from quizzes.taking.layout import answerable, field_name, layout_questions

#: Mean gain (post minus pre, on a 1–5 scale) per competency; the others gain about 1.
GAINS = {"smart-city-citoyens": 0.6, "mesure-impact": 0.1, "open-data": 1.5}
#: Weights of single-choice options, by question key (authored order); others are uniform.
SINGLE_WEIGHTS = {
    "type-collectivite": (6, 5, 2, 1, 1),
    "population": (1, 4, 4, 3),
    "niveau-entree": (0, 4, 6, 1),
    "suite-projet-soutenance": (2, 5, 2, 1, 0),
}
#: Chance of ticking only the "none" option of a multiple choice, by question key.
NONE_ALONE = {"contraintes": 0.5}
#: Chance that an optional free-text question is answered, by purpose.
TEXT_RATE = {"satisfaction": 0.65, "needs": 0.5, "trainer_review": 0.8}


@dataclass
class Persona:
    """Who answers: their generator, function, level and mood (all drawn from ``seed``)."""

    seed: str
    function: str | None = None
    rng: random.Random = field(init=False)
    skill: float = field(init=False)
    mood: int = field(init=False)
    level: float = field(init=False)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.skill = self.rng.uniform(0.6, 0.97)
        self.mood = self.rng.choices((5, 4, 3, 2), weights=(4, 5, 2, 0.5))[0]
        self.level = self.rng.uniform(1.6, 3.0)

    def draw(self, *parts) -> random.Random:
        """A generator for one decision, independent of the order decisions are taken in."""
        return random.Random(":".join((self.seed, *map(str, parts))))


class Deck:
    """Texts dealt without repetition within a run (the pile is reshuffled once used up)."""

    def __init__(self, seed: str, course_key: str | None = None):
        self.seed, self.course_key = seed, course_key
        self.piles: dict[tuple, list[str]] = {}
        self.dealt = 0

    def deal(self, texts, *key) -> str:
        """The next text of the pile ``key`` (made of ``texts``)."""
        pile = self.piles.get(key)
        if not pile:
            pile = self.piles[key] = list(texts)
            random.Random(":".join(map(str, (self.seed, *key, self.dealt)))).shuffle(pile)
        self.dealt += 1
        return pile.pop()


def difficulty(question: Question) -> float:
    """A fixed offset of the chance of answering right (some questions are harder)."""
    return random.Random(f"difficulty:{question.key}").uniform(-0.3, 0.1)


def chance_of(skill: float, question: Question) -> float:
    """Chance of answering ``question`` right: stronger learners succeed markedly more often
    (so the item analysis finds discriminating questions)."""
    return min(0.98, max(0.05, 0.78 + 1.6 * (skill - 0.78) + difficulty(question)))


# --- quizzes -------------------------------------------------------------------------------


def quiz_form(attempt: Attempt, rng: random.Random, skill: float, deck: Deck) -> MultiDict:
    """Answers to a quiz: each question right with a chance that grows with ``skill`` (1: all
    right); essays are dealt from ``deck``."""
    form = MultiDict()
    for question in layout_questions(attempt):
        if not answerable(question):
            continue
        chance = 1.0 if skill >= 1 else chance_of(skill, question)
        answer = QUIZ_ANSWERS.get(question.type)
        if question.type == "essay":
            text = demo_texts.essay(question.stem_html or question.title or "")
            form[field_name(question)] = deck.deal(text, "essay", question.key)
        elif answer:
            answer(form, field_name(question), question, rng.random() < chance, rng)
    return form


def _choices(question: Question) -> list[dict]:
    return [c for c in (question.settings or {}).get("choices", []) if c.get("key")]


def _weight(choice: dict) -> float:
    try:
        return float(choice.get("fraction") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def _single(form, name, question, right, rng) -> None:
    choices = _choices(question)
    wrong = [c for c in choices if _weight(c) <= 0] or choices
    if choices:
        form[name] = (max(choices, key=_weight) if right else rng.choice(wrong))["key"]


def _multiple(form, name, question, right, rng) -> None:
    choices = _choices(question)
    good = [c["key"] for c in choices if _weight(c) > 0]
    picked = good if right else [c["key"] for c in choices if rng.random() < 0.45]
    if not right and (not picked or set(picked) == set(good)):
        picked = [rng.choice(choices)["key"]] if choices else []
    for key in picked:
        form.add(name, key)


def _true_false(form, name, question, right, rng) -> None:
    truth = bool((question.settings or {}).get("correct_answer", True))
    form[name] = "true" if truth == right else "false"


def _accepted(question: Question) -> list[dict]:
    answers = (question.settings or {}).get("answers", [])
    return sorted((a for a in answers if _weight(a) > 0), key=_weight, reverse=True)


def _short(form, name, question, right, rng) -> None:
    accepted = _accepted(question)
    if right and accepted:
        form[name] = (accepted[0].get("text") or {}).get("text", "").replace("*", "")
    elif len(accepted) > 1 and rng.random() < 0.5:
        form[name] = (accepted[-1].get("text") or {}).get("text", "").replace("*", "")


def _numerical(form, name, question, right, rng) -> None:
    accepted = [a for a in _accepted(question) if a.get("kind") in ("exact", "tolerance", "range")]
    if not accepted:
        return
    best = accepted[0]
    if best.get("kind") == "range":
        low, high = float(best["low"]), float(best["high"])
        value = (low + high) / 2 if right else high + (high - low) + 1
    else:
        value = float(best["value"])
        if not right:
            value = _near_miss(value, rng)
    form[name] = f"{value:g}"


def _near_miss(value: float, rng: random.Random) -> float:
    """A wrong number a learner might type: another year, another order of magnitude."""
    if 1900 <= value <= 2100:
        return value + rng.choice((-3, -2, -1, 1, 2))
    if value >= 100:
        return round(value * rng.choice((0.5, 2, 10)))
    return value + rng.choice((-2, -1, 1, 2, 5))


def _matching(form, name, question, right, rng) -> None:
    pairs = [p for p in (question.settings or {}).get("pairs", []) if p.get("key")]
    targets = [p.get("answer_key") for p in pairs]
    if not right and len(targets) > 1:
        i, j = rng.sample(range(len(targets)), 2)
        targets[i], targets[j] = targets[j], targets[i]
    for pair, target in zip(pairs, targets, strict=True):
        if target:
            form[f"{name}-{pair['key']}"] = target


QUIZ_ANSWERS = {
    "single_choice": _single,
    "multiple_choice": _multiple,
    "true_false": _true_false,
    "short_answer": _short,
    "numerical": _numerical,
    "matching": _matching,
}


# --- questionnaires and self-assessments ------------------------------------------------------


def survey_form(attempt: Attempt, persona: Persona, deck: Deck) -> MultiDict:
    """Answers to a questionnaire or self-assessment, in the persona's character; free texts
    are dealt from ``deck``."""
    form, purpose = MultiDict(), attempt.instrument.purpose
    skipped_section = None
    for question in layout_questions(attempt):
        if not answerable(question) or question.section == skipped_section and question.section:
            continue
        rng = persona.draw(attempt.instrument.key, question.key)
        answer = SURVEY_ANSWERS.get(question.type)
        value = answer(question, purpose, persona, rng) if answer else None
        if question.type == "text" and value:
            texts = demo_texts.bank(purpose, question.key, deck.course_key)
            value = deck.deal(texts, purpose, question.key)
        if value is None:
            continue
        if question.type == "yesno" and value == "no":
            skipped_section = question.section  # the follow-up questions do not apply
        for item in value if isinstance(value, list) else [value]:
            form.add(field_name(question), item)
    return form


def _keys(question: Question) -> list[str]:
    return [str(o["key"]) for o in (question.settings or {}).get("options", []) if o.get("key")]


def level_of(question: Question, purpose: str, persona: Persona) -> float:
    """The 1–5 level a persona gives a scale question."""
    rng = persona.draw("level", question.key)
    if question.competency and purpose in (Purpose.PRE, Purpose.POST):
        pre = min(4.4, max(1.0, persona.level + rng.uniform(-0.8, 0.8)))
        if purpose == Purpose.PRE:
            return pre
        return pre + GAINS.get(question.competency, 1.0) + rng.uniform(-0.9, 0.9)
    if purpose == Purpose.SATISFACTION:
        return persona.mood + rng.choice((-1, 0, 0, 0, 1)) * 0.9
    return rng.uniform(2.6, 5.0)


def _scale(question, purpose, persona, rng) -> str | None:
    keys = _keys(question)
    if not keys:
        return None
    level = min(5.0, max(1.0, level_of(question, purpose, persona)))
    return keys[round((level - 1) / 4 * (len(keys) - 1))]


def _score(question, purpose, persona, rng) -> str:
    low = {5: 8, 4: 7, 3: 5, 2: 3}.get(persona.mood, 6)
    return str(rng.randint(low, min(10, low + 2 + (persona.mood >= 4))))


def _single_survey(question, purpose, persona, rng) -> str | None:
    keys = _keys(question)
    if question.key == "fonction" and persona.function in keys:
        return persona.function
    if not keys:
        return None
    weights = SINGLE_WEIGHTS.get(question.key)
    if weights and len(weights) == len(keys):
        return rng.choices(keys, weights=weights)[0]
    return rng.choice(keys)


def _multiple_survey(question, purpose, persona, rng) -> list[str] | None:
    keys = _keys(question)
    none = [k for k in keys if k.startswith("aucun")]
    others = [k for k in keys if k not in none]
    if none and rng.random() < NONE_ALONE.get(question.key, 0.08):
        return none[:1]
    if not others or not question.required and rng.random() < 0.25:
        return None
    return sorted(rng.sample(others, k=rng.randint(1, min(4, len(others)))), key=keys.index)


def _yesno(question, purpose, persona, rng) -> str:
    return "yes" if rng.random() < (0.35 if purpose == Purpose.TRAINER_REVIEW else 0.7) else "no"


def _text(question, purpose, persona, rng) -> str | None:
    if not question.required and rng.random() > TEXT_RATE.get(purpose, 0.5):
        return None
    return "yes"  # the text itself is dealt by the caller


SURVEY_ANSWERS = {
    "scale": _scale,
    "score": _score,
    "single": _single_survey,
    "multiple": _multiple_survey,
    "yesno": _yesno,
    "text": _text,
}

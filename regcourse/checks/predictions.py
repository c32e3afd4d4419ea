""""Predict, then move the slider": the student records a prediction before exploring, the checker answers.

Each question is a `Prediction`: the question, the choices offered (the student sets ``prediction`` to one of
them), the answer measured in the notebook, and an explanation that holds on every machine (it rests on facts
that do not depend on rounding: a count that is 0 for every seed, a rank that collapses, weights that decay to 0).

    check_prediction_01(prediction)    01: what the network predicts at λ = 100
    check_prediction_03(prediction)    03: how L1 zeroes the weights as λ grows
    check_prediction_06(prediction)    06: how many hidden units stay active at λ = 10
    check_prediction_07(prediction)    07: from which λ the boundary is a straight line

These are not function exercises (there is nothing to run), so the module has no ``EXERCISES`` and the
contract of tests/test_checks.py does not apply; tests/test_checks_predictions.py covers them.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import Feedback


def _normal(text: str) -> str:
    """A choice as typed, made comparable: case, spaces and the kind of dash do not matter."""
    return " ".join(text.replace("–", "-").replace("—", "-").lower().split())


@dataclass(frozen=True)
class Prediction:
    """A question with its choices, the measured answer (one of the choices) and why it is so."""

    question: str
    choices: tuple[str, ...]
    answer: str
    why: str

    def __post_init__(self):
        if self.answer not in self.choices:
            raise ValueError(f"answer {self.answer!r} must be one of the choices {self.choices}")

    def check(self, prediction) -> Feedback:
        """✔ with the explanation if `prediction` is the measured answer; ✘ with the answer and the explanation
        if it is another choice; ✘ asking for a prediction if it is None or not one of the choices."""
        offered = ", ".join(f'"{choice}"' for choice in self.choices)
        if prediction is None:
            return Feedback(False, f"make your prediction first: set `prediction` to one of {offered}, then run "
                                   f"this cell again.")
        picked = next((c for c in self.choices if isinstance(prediction, str) and _normal(prediction) == _normal(c)),
                      None)
        if picked is None:
            return Feedback(False, f"{prediction!r} is not one of the choices: set `prediction` to one of {offered}.")
        if picked == self.answer:
            return Feedback(True, f"Right: {self.answer}. {self.why}")
        return Feedback(False, f"Not {picked}: the answer is {self.answer}. {self.why}")


ONE_CLASS_AT_100 = Prediction(
    "At λ = 100, what does the network predict?",
    ("a wiggly boundary", "a smooth curve", "the same class everywhere"),
    "the same class everywhere",
    "With λ that large the decay pulls every weight to 0 faster than the data can push it back, so the output is "
    "the same number for every input: no boundary is left, and the network predicts one class everywhere. Move the "
    "slider to the right end and watch the boundary disappear.")

L1_ZEROS = Prediction(
    "As λ grows, does L1 set the weights to exactly 0 one at a time, or all at once?",
    ("one at a time", "all at once"),
    "one at a time",
    "L1 pulls every weight with the same constant force λ/m, and a weight stays at exactly 0 once the data pull on "
    "it less than that; this happens at a different λ for each weight, so the count of exact zeros climbs step by "
    "step along the path (the table of zeros above), and only a λ so large that the model predicts one class "
    "everywhere zeroes them all. L2's pull shrinks with the weight, so L2 sets none of them to exactly 0.")

UNITS_AT_10 = Prediction(
    "At λ = 10, how many hidden units stay active?",
    ("more than 15", "5-15", "fewer than 5"),
    "fewer than 5",
    "At λ = 10 the decay wins for every weight: Σ‖W‖² falls to 0, no hidden unit varies over the training set "
    "(0 active, from every start tried), and the network predicts the same class everywhere. The dev-chosen λ keeps "
    "a handful of units; λ = 10 removes them all.")

STRAIGHT_FROM = Prediction(
    "From which λ is the boundary a straight line?",
    ("0.3", "1", "2", "10"),
    "2",
    "From λ = 2 on, the second singular value of W[1] has vanished (σ2/σ1 is 0 in the table): every unit of layer 1 "
    "reads the same single direction of x, so the output changes along that direction only and the boundary is a "
    "straight line, the same as its linear stand-in on the whole grid. Up to λ* the network still bends.")


def check_prediction_01(prediction) -> Feedback:
    """Notebook 01: at λ = 100, a wiggly boundary, a smooth curve, or the same class everywhere?"""
    return ONE_CLASS_AT_100.check(prediction)


def check_prediction_03(prediction) -> Feedback:
    """Notebook 03: does L1 set weights to exactly 0 one at a time, or all at once?"""
    return L1_ZEROS.check(prediction)


def check_prediction_06(prediction) -> Feedback:
    """Notebook 06: at λ = 10, more than 15, 5-15, or fewer than 5 active hidden units?"""
    return UNITS_AT_10.check(prediction)


def check_prediction_07(prediction) -> Feedback:
    """Notebook 07: from which λ (0.3, 1, 2 or 10) is the boundary a straight line?"""
    return STRAIGHT_FROM.check(prediction)


PREDICTIONS = {"01": ONE_CLASS_AT_100, "03": L1_ZEROS, "06": UNITS_AT_10, "07": STRAIGHT_FROM}

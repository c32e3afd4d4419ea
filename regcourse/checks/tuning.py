"""Checkers for notebook 08 (choosing λ): picking λ on the dev set, and naming the regime.

``check_choose_lambda`` checks the dev-set choice of λ (the argmin of the dev error; on a tie the
LARGER λ, the simpler model). ``check_regime`` checks the diagnosis of a (train, dev) pair of
errors as "underfitting", "overfitting" or "just right". Both run the student's function and the
reference on a few fixed inputs chosen so that each likely slip gives a different answer, and reply
in one sentence.

Errors are fractions (0.15 means 15% of the examples misclassified).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Exercise, Feedback

SEED = 8


# --- choose_lambda(lambdas, dev_errors) -------------------------------------------------------------

def choose_lambda_reference(lambdas, dev_errors):
    """The λ with the smallest dev error; on a tie, the largest such λ (the simpler model).

    λ* = max { λ_k : dev_k = min_j dev_j }.
    """
    lambdas, dev_errors = np.asarray(lambdas, dtype=float), np.asarray(dev_errors, dtype=float)
    return float(lambdas[dev_errors == dev_errors.min()].max())


def _choose_cases():
    """Errors are counts / m_dev, so ties are exact, as in a real dev set."""
    coarse = np.array([0.0, 0.01, 0.1, 1.0, 10.0, 100.0])
    fine = np.round(np.logspace(-2, 2, 13), 4)
    rng = np.random.default_rng([SEED, 1])
    order = rng.permutation(7)
    shuffled = np.array([0.0, 0.03, 0.3, 3.0, 30.0, 0.1, 1.0])
    return [
        (coarse, np.array([15, 13, 9, 9, 11, 30]) / 60),              # tie between 0.1 and 1 -> 1
        (fine, np.array([14, 14, 13, 12, 12, 11, 10, 11, 12, 13, 15, 29, 30]) / 80),   # one minimum
        (shuffled[order], (np.array([16, 12, 8, 11, 30, 10, 8]) / 60)[order]),   # unsorted, tie 0.3 / 1
        (coarse, np.full(6, 12 / 60)),                                 # all tied -> the largest λ
    ]


def _first_minimum(lambdas, dev_errors):
    return float(np.asarray(lambdas)[np.argmin(dev_errors)])


def _last_minimum(lambdas, dev_errors):
    dev_errors = np.asarray(dev_errors)
    return float(np.asarray(lambdas)[len(dev_errors) - 1 - np.argmin(dev_errors[::-1])])


CHOOSE_LAMBDA_MISTAKES = {
    "on a tie you picked the smaller λ (np.argmin returns the first minimum); prefer the larger λ, "
    "the simpler model, among the tied ones.": _first_minimum,
    "on a tie you took the last λ in the list, but the list need not be sorted: take the largest λ "
    "among the tied ones.": _last_minimum,
    "did you return the index k instead of the value? Return lambdas[k].":
        lambda lambdas, dev: int(np.flatnonzero(np.asarray(lambdas) == choose_lambda_reference(lambdas, dev))[0]),
    "did you return np.argmin's index? Return the λ value itself (and on a tie the larger λ).":
        lambda lambdas, dev: int(np.argmin(dev)),
    "did you pick the largest dev error? We want the smallest: np.argmin, not np.argmax.":
        lambda lambdas, dev: float(np.asarray(lambdas)[np.argmax(dev)]),
    "did you return the smallest dev error? Return the λ where it is reached.":
        lambda lambdas, dev: float(np.min(dev)),
}


CHOOSE_LAMBDA = Exercise("choose_lambda", choose_lambda_reference, _choose_cases, mistakes=CHOOSE_LAMBDA_MISTAKES)


def check_choose_lambda(student: Callable) -> Feedback:
    """Check choose_lambda(lambdas, dev_errors): argmin of the dev error, the larger λ on a tie."""
    return CHOOSE_LAMBDA.check(student)


# --- regime(train_error, dev_error, base_error, tolerance) --------------------------------------------

REGIMES = ("underfitting", "overfitting", "just right")


def regime_reference(train_error, dev_error, base_error, tolerance=0.03):
    """Diagnose a model from its errors, bias first:

    "underfitting" if train_error - base_error > tolerance  (it cannot even fit the training set),
    else "overfitting" if dev_error - train_error > tolerance  (it fits the training set much better
    than new data), else "just right".
    """
    if train_error - base_error > tolerance:
        return "underfitting"
    if dev_error - train_error > tolerance:
        return "overfitting"
    return "just right"


# Each case separates the reference from at least one slip below.
REGIME_CASES = (
    (0.04, 0.25, 0.10, 0.03),    # memorized the noise: overfitting
    (0.49, 0.55, 0.10, 0.03),    # both gaps large: bias comes first -> underfitting
    (0.12, 0.06, 0.10, 0.03),    # dev luckily below train: just right (not |dev - train|)
    (0.11, 0.12, 0.10, 0.03),    # train near the noise floor, not near 0: just right
    (0.14, 0.18, 0.10, 0.05),    # a wider tolerance: just right
    (0.10, 0.16, 0.10, 0.05),    # gap 0.06 > 0.05: overfitting
)


def _variance_first(train_error, dev_error, base_error, tolerance=0.03):
    if dev_error - train_error > tolerance:
        return "overfitting"
    if train_error - base_error > tolerance:
        return "underfitting"
    return "just right"


REGIME_MISTAKES = {
    "did you test for overfitting first? When the training error itself is far above the base error, "
    "the model underfits, whatever the dev error: check train_error - base_error first.": _variance_first,
    "did you use |dev_error - train_error|? A dev error below the training error is luck, not "
    "overfitting: use dev_error - train_error.":
        lambda t, d, base, tol=0.03: ("underfitting" if t - base > tol else
                                      "overfitting" if abs(d - t) > tol else "just right"),
    "did you ignore the tolerance argument? Use the value passed in, not a fixed number.":
        lambda t, d, base, tol=0.03: regime_reference(t, d, base, 0.03),
    "did you compare the training error with 0 instead of base_error? With noisy labels no model gets "
    "below the base error, so underfitting means train_error - base_error > tolerance.":
        lambda t, d, base, tol=0.03: regime_reference(t, d, 0.0, tol),
}


def _same_regime(got, expected) -> bool:
    """Regime names are compared without case or surrounding spaces: " Overfitting" will do."""
    return isinstance(got, str) and got.strip().lower() == expected


def _not_a_regime(got, expected) -> str | None:
    if isinstance(got, str) and got.strip().lower() in REGIMES:
        return None
    return f"return one of the strings {', '.join(repr(r) for r in REGIMES)}."


REGIME = Exercise("regime", regime_reference, REGIME_CASES, mistakes=REGIME_MISTAKES, compare=_same_regime,
                  describe=_not_a_regime, otherwise="compare your code with the two rules above.", fresh=False)


def check_regime(student: Callable) -> Feedback:
    """Check regime(train_error, dev_error, base_error, tolerance) on six (train, dev) pairs."""
    return REGIME.check(student)


EXERCISES = (CHOOSE_LAMBDA, REGIME)

"""Checkers for notebook 03 (L1 vs L2): the L1 penalty, the soft-threshold step, a proximal step.

Each ``check_x(student)`` calls the student's function and the reference on a few fresh inputs
(made from a fixed seed, so the verdict is the same on every run) and returns a `Feedback` whose
one sentence names the likely slip when the answer matches a known mistake.

Course convention (the notation contract): the L1 term is (lambd / m) * sum_j |w_j|, and the
proximal step after a gradient step of size alpha uses the threshold alpha * lambd / m.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Exercise, Feedback

SEED = 3


def _rng(salt: int) -> np.random.Generator:
    return np.random.default_rng([SEED, salt])


# --- l1_penalty(w, lambd, m) ---------------------------------------------------------------------

def l1_penalty_reference(w, lambd, m):
    """(lambd / m) * ||w||_1 with ||w||_1 = sum_j |w_j|."""
    return lambd / m * float(np.sum(np.abs(w)))


def _l1_penalty_cases():
    rng = _rng(1)
    cases = []
    for n_x, lambd, m in ((5, 0.7, 10), (27, 2.5, 211), (12, 0.05, 48), (3, 10.0, 7)):
        w = rng.normal(0.0, 1.5, (n_x, 1))
        w[0, 0] = -abs(w[0, 0]) - 0.5  # at least one clearly negative weight, so a missing abs shows
        cases.append((w, lambd, m))
    return cases


L1_PENALTY_MISTAKES = {
    "did you divide by 2m? The course's L1 term is (λ/m)‖w‖₁ (some texts write λ/2m: the same penalty "
    "with λ doubled).": lambda w, lambd, m: lambd / (2 * m) * np.sum(np.abs(w)),
    "did you forget the absolute value? ‖w‖₁ sums |w_j|, so negative weights count too.":
        lambda w, lambd, m: lambd / m * np.sum(w),
    "did you square the weights? That is the L2 term; L1 sums |w_j|.":
        lambda w, lambd, m: lambd / m * np.sum(w ** 2),
    "did you square the weights and divide by 2m? That is the L2 term; L1 is (λ/m) Σ|w_j|.":
        lambda w, lambd, m: lambd / (2 * m) * np.sum(w ** 2),
    "did you forget to divide by m?": lambda w, lambd, m: lambd * np.sum(np.abs(w)),
}


L1_PENALTY = Exercise("l1_penalty", l1_penalty_reference, _l1_penalty_cases, mistakes=L1_PENALTY_MISTAKES)


def check_l1_penalty(student: Callable) -> Feedback:
    """Check l1_penalty(w, lambd, m) = (lambd / m) * sum_j |w_j|."""
    return L1_PENALTY.check(student)


# --- soft_threshold(w, threshold) ----------------------------------------------------------------

def soft_threshold_reference(w, threshold):
    """sign(w_j) * max(|w_j| - threshold, 0), entry by entry; the shape of w is kept."""
    return np.sign(w) * np.maximum(np.abs(w) - threshold, 0.0)


def _soft_threshold_cases():
    rng = _rng(2)
    cases = []
    for shape, threshold in (((8, 1), 0.3), ((27, 1), 0.05), ((4, 6), 1.0), ((15, 1), 0.5)):
        w = rng.normal(0.0, 1.0, shape)
        flat = w.reshape(-1)
        # entries that tell the slips apart: small ones of both signs (they must become 0),
        # large ones of both signs (they must shrink by exactly `threshold`), and one exact 0
        flat[:5] = [0.4 * threshold, -0.6 * threshold, 3 * threshold + 0.2, -(2 * threshold + 0.1), 0.0]
        cases.append((w, threshold))
    return cases


SOFT_THRESHOLD_MISTAKES = {
    "the small weights crossed zero: after subtracting the threshold, stop at 0 with "
    "max(|w| − threshold, 0).": lambda w, t: w - t * np.sign(w),
    "the small weights became 0 but the large ones were not shrunk: that is hard thresholding; "
    "subtract the threshold from |w| as well.": lambda w, t: np.where(np.abs(w) > t, w, 0.0),
    "the signs got lost: multiply max(|w| − threshold, 0) by sign(w).":
        lambda w, t: np.maximum(np.abs(w) - t, 0.0),
    "did you subtract the threshold without stopping at 0 and without the sign? Use "
    "sign(w) · max(|w| − threshold, 0).": lambda w, t: w - t,
}


SOFT_THRESHOLD = Exercise("soft_threshold", soft_threshold_reference, _soft_threshold_cases,
                          mistakes=SOFT_THRESHOLD_MISTAKES)


def check_soft_threshold(student: Callable) -> Feedback:
    """Check soft_threshold(w, threshold) = sign(w) * max(|w| - threshold, 0)."""
    return SOFT_THRESHOLD.check(student)


# --- l1_proximal_step(w, dw, learning_rate, lambd, m) --------------------------------------------

def l1_proximal_step_reference(w, dw, learning_rate, lambd, m):
    """A gradient step on the data loss, then the soft threshold alpha * lambd / m."""
    return soft_threshold_reference(w - learning_rate * dw, learning_rate * lambd / m)


def _proximal_cases():
    rng = _rng(3)
    cases = []
    for n_x, alpha, lambd, m in ((10, 0.5, 4.0, 20), (27, 1.0, 2.0, 50), (6, 0.1, 30.0, 12), (15, 2.0, 1.5, 40)):
        w = rng.normal(0.0, 0.6, (n_x, 1))
        dw = rng.normal(0.0, 0.3, (n_x, 1))
        t = alpha * lambd / m
        # entries that tell the slips apart: a small w pushed far by its gradient, a large w whose
        # step lands inside the threshold (it must become exactly 0), a w that crosses zero
        w[:3, 0] = [0.4 * t, 3 * t, -2 * t]
        dw[:3, 0] = [-4 * t / alpha, 2.5 * t / alpha, -2.5 * t / alpha]
        cases.append((w, dw, alpha, lambd, m))
    return cases


PROXIMAL_MISTAKES = {
    "did you forget the learning rate in the threshold? It is α·λ/m.":
        lambda w, dw, a, lambd, m: soft_threshold_reference(w - a * dw, lambd / m),
    "did you divide by 2m? The threshold of the term (λ/m)‖w‖₁ is α·λ/m.":
        lambda w, dw, a, lambd, m: soft_threshold_reference(w - a * dw, a * lambd / (2 * m)),
    "the two halves are in the wrong order: take the gradient step first, then soft-threshold "
    "its result.": lambda w, dw, a, lambd, m: soft_threshold_reference(w, a * lambd / m) - a * dw,
    "that is a subgradient step, w − α(dw + (λ/m)·sign(w)): it never lands on exactly 0; "
    "soft-threshold w − α·dw instead.":
        lambda w, dw, a, lambd, m: w - a * (dw + lambd / m * np.sign(w)),
    "did you forget the gradient step? Soft-threshold w − α·dw, not w.":
        lambda w, dw, a, lambd, m: soft_threshold_reference(w, a * lambd / m),
}


L1_PROXIMAL_STEP = Exercise("l1_proximal_step", l1_proximal_step_reference, _proximal_cases,
                            mistakes=PROXIMAL_MISTAKES)


def check_l1_proximal_step(student: Callable) -> Feedback:
    """Check l1_proximal_step(w, dw, learning_rate, lambd, m) = soft_threshold(w − α dw, α λ / m)."""
    return L1_PROXIMAL_STEP.check(student)


EXERCISES = (L1_PENALTY, SOFT_THRESHOLD, L1_PROXIMAL_STEP)

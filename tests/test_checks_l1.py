"""The notebook-03 checkers: right answers pass, each likely slip is named, stubs are spotted."""

import numpy as np
import pytest

from regcourse import penalties
from regcourse.checks import Feedback
from regcourse.checks.l1 import (L1_PENALTY_MISTAKES, PROXIMAL_MISTAKES, SOFT_THRESHOLD_MISTAKES,
                                 _l1_penalty_cases, _proximal_cases, _soft_threshold_cases,
                                 check_l1_penalty, check_l1_proximal_step, check_soft_threshold,
                                 l1_penalty_reference, l1_proximal_step_reference, soft_threshold_reference)


def stub(*args):
    raise NotImplementedError  # your code here


# --- the references agree with the package and with hand-worked numbers --------------------------

def test_references_match_the_package():
    for w, lambd, m in _l1_penalty_cases():
        assert l1_penalty_reference(w, lambd, m) == pytest.approx(penalties.l1_penalty(w, lambd, m))
    for w, t in _soft_threshold_cases():
        np.testing.assert_array_equal(soft_threshold_reference(w, t), penalties.soft_threshold(w, t))


def test_hand_worked_values():
    # (2/4) * (|1| + |-3| + |0.5|) = 0.5 * 4.5 = 2.25
    assert l1_penalty_reference(np.array([[1.0], [-3.0], [0.5]]), 2.0, 4) == pytest.approx(2.25)
    # threshold 1: 2.5 -> 1.5, -0.4 -> 0, -1.2 -> -0.2, 0 -> 0
    np.testing.assert_allclose(soft_threshold_reference(np.array([2.5, -0.4, -1.2, 0.0]), 1.0),
                               [1.5, 0.0, -0.2, 0.0])
    # w - alpha dw = [1.0, -0.05], threshold 0.5 * 4 / 20 = 0.1 -> [0.9, 0]
    np.testing.assert_allclose(
        l1_proximal_step_reference(np.array([[1.2], [0.15]]), np.array([[0.4], [0.4]]), 0.5, 4.0, 20),
        [[0.9], [0.0]])


# --- correct answers pass -------------------------------------------------------------------------

def l1_penalty_loop(w, lambd, m):
    total = 0.0
    for value in w.ravel():
        total += abs(value)
    return lambd / m * total


def test_correct_answers_pass():
    for feedback in (check_l1_penalty(l1_penalty_loop),
                     check_l1_penalty(lambda w, lambd, m: penalties.l1_penalty(w, lambd, m)),
                     check_soft_threshold(penalties.soft_threshold),
                     check_soft_threshold(lambda w, t: np.where(w > t, w - t, np.where(w < -t, w + t, 0.0))),
                     check_l1_proximal_step(
                         lambda w, dw, a, lambd, m: penalties.soft_threshold(w - a * dw, a * lambd / m))):
        assert isinstance(feedback, Feedback)
        assert feedback.passed, feedback
        assert repr(feedback).startswith("✔") and "is correct on 4 fresh test cases" in repr(feedback)


# --- stubs, crashes, wrong types ------------------------------------------------------------------


def test_crash_is_reported_in_one_sentence():
    def crashing(w, threshold):
        return w[100]  # IndexError

    feedback = check_soft_threshold(crashing)
    assert not feedback.passed
    assert "raised IndexError" in feedback.message and "\n" not in feedback.message


def test_not_a_function():
    assert "should be a function" in check_l1_penalty(3.0).message


# --- each listed slip is named --------------------------------------------------------------------

L1_PENALTY_SLIPS = {
    "divide by 2m": lambda w, lambd, m: lambd / (2 * m) * np.abs(w).sum(),
    "forget the absolute value": lambda w, lambd, m: lambd / m * w.sum(),
    "square the weights? That is the L2 term; L1 sums": lambda w, lambd, m: lambd / m * (w ** 2).sum(),
    "forget to divide by m": lambda w, lambd, m: lambd * np.abs(w).sum(),
}


@pytest.mark.parametrize("hint", list(L1_PENALTY_SLIPS))
def test_l1_penalty_slips_are_named(hint):
    feedback = check_l1_penalty(L1_PENALTY_SLIPS[hint])
    assert not feedback.passed
    assert hint in feedback.message, feedback.message
    assert "was expected" in feedback.message


SOFT_THRESHOLD_SLIPS = {
    "crossed zero": lambda w, t: w - t * np.sign(w),
    "hard thresholding": lambda w, t: w * (np.abs(w) > t),
    "signs got lost": lambda w, t: np.maximum(np.abs(w) - t, 0.0),
}


@pytest.mark.parametrize("hint", list(SOFT_THRESHOLD_SLIPS))
def test_soft_threshold_slips_are_named(hint):
    feedback = check_soft_threshold(SOFT_THRESHOLD_SLIPS[hint])
    assert not feedback.passed
    assert hint in feedback.message, feedback.message


PROXIMAL_SLIPS = {
    "forget the learning rate": lambda w, dw, a, lambd, m: penalties.soft_threshold(w - a * dw, lambd / m),
    "divide by 2m": lambda w, dw, a, lambd, m: penalties.soft_threshold(w - a * dw, a * lambd / (2 * m)),
    "wrong order": lambda w, dw, a, lambd, m: penalties.soft_threshold(w, a * lambd / m) - a * dw,
    "subgradient step": lambda w, dw, a, lambd, m: w - a * (dw + lambd / m * np.sign(w)),
}


@pytest.mark.parametrize("hint", list(PROXIMAL_SLIPS))
def test_proximal_step_slips_are_named(hint):
    feedback = check_l1_proximal_step(PROXIMAL_SLIPS[hint])
    assert not feedback.passed
    assert hint in feedback.message, feedback.message


def test_an_unknown_mistake_points_to_the_formula():
    feedback = check_l1_penalty(lambda w, lambd, m: 1.0)
    assert not feedback.passed and "compare your code with the formula" in feedback.message


def test_a_wrong_shape_is_not_accepted():
    feedback = check_soft_threshold(lambda w, t: penalties.soft_threshold(w, t).ravel())
    assert not feedback.passed


# --- the checks are well posed ---------------------------------------------------------------------

@pytest.mark.parametrize("mistakes, cases, reference", [
    (L1_PENALTY_MISTAKES, _l1_penalty_cases, l1_penalty_reference),
    (SOFT_THRESHOLD_MISTAKES, _soft_threshold_cases, soft_threshold_reference),
    (PROXIMAL_MISTAKES, _proximal_cases, l1_proximal_step_reference),
])
def test_every_mistake_differs_from_the_reference_on_the_first_case(mistakes, cases, reference):
    args = cases()[0]
    expected = np.asarray(reference(*args))
    slips = [np.asarray(slip(*args)) for slip in mistakes.values()]
    for slip in slips:
        assert not np.allclose(slip, expected)
    for i, a in enumerate(slips):  # two mistakes giving the same answer could not be told apart
        for b in slips[i + 1:]:
            assert not (a.shape == b.shape and np.allclose(a, b))


def test_cases_are_the_same_on_every_call():
    for cases in (_l1_penalty_cases, _soft_threshold_cases, _proximal_cases):
        for a, b in zip(cases(), cases()):
            for x, y in zip(a, b):
                np.testing.assert_array_equal(x, y)


def test_the_checker_does_not_let_the_student_change_its_inputs():
    def in_place(w, t):
        w[:] = soft_threshold_reference(w, t)
        return w

    assert check_soft_threshold(in_place).passed
    assert check_soft_threshold(in_place).passed

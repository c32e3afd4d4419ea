"""The notebook-03 checkers, beyond the contract of tests/test_checks.py: the references, other right answers,
the feedback's wording, the cases."""

import numpy as np
import pytest

from regcourse import penalties
from regcourse.checks import Feedback
from regcourse.checks.l1 import (EXERCISES, L1_PENALTY, SOFT_THRESHOLD, check_l1_penalty, check_l1_proximal_step,
                                 check_soft_threshold, l1_penalty_reference, l1_proximal_step_reference,
                                 soft_threshold_reference)


# --- the references agree with the package and with hand-worked numbers --------------------------

def test_references_match_the_package():
    for w, lambd, m in L1_PENALTY.make_cases():
        assert l1_penalty_reference(w, lambd, m) == pytest.approx(penalties.l1_penalty(w, lambd, m))
    for w, t in SOFT_THRESHOLD.make_cases():
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


# --- feedback leads with what differs ------------------------------------------------------------

def test_a_wrong_entry_is_quoted_without_shapes():
    # the first case's w[0] = 0.4 * threshold must become 0; w - threshold * sign(w) gives -0.6 * threshold
    feedback = check_soft_threshold(lambda w, t: w - t * np.sign(w))
    assert feedback.message == ("soft_threshold returned -0.18 in entry [0, 0] where 0 was expected (2 of 8 "
                                "entries are off) — the small weights crossed zero: after subtracting the "
                                "threshold, stop at 0 with max(|w| − threshold, 0).")


def test_the_hints_speak_to_a_student():
    for exercise in EXERCISES:
        assert not any("seed" in hint for hint in exercise.mistakes)


def test_an_unknown_mistake_points_to_the_formula():
    feedback = check_l1_penalty(lambda w, lambd, m: 1.0)
    assert not feedback.passed and "compare your code with the formula" in feedback.message


def test_a_wrong_shape_is_reported_as_shapes():
    feedback = check_soft_threshold(lambda w, t: penalties.soft_threshold(w, t).ravel())
    assert feedback.message.startswith("soft_threshold returned an array of shape (8,) where an array of shape "
                                       "(8, 1) was expected")


# --- the checks are well posed ---------------------------------------------------------------------

def test_cases_are_the_same_on_every_call():
    for exercise in EXERCISES:
        for a, b in zip(exercise.make_cases(), exercise.make_cases()):
            for x, y in zip(a, b):
                np.testing.assert_array_equal(x, y)

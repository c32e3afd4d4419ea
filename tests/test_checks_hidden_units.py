"""Checkers of notebook 06: the reference passes, each listed slip is named, a stub is "not written yet"."""

import numpy as np
import pytest

from regcourse.checks import hidden_units as checks


def stub(*args):
    raise NotImplementedError  # your code here


# --- active_units ------------------------------------------------------------------------------

@pytest.mark.parametrize("solution", [
    lambda A, t: int(np.sum(A.std(axis=1) > t)),
    lambda A, t: np.count_nonzero(np.std(A, axis=1) > t),          # a NumPy integer is fine too
    lambda A, t: sum(1 for row in A if row.std() > t),
])
def test_active_units_reference_passes(solution):
    feedback = checks.check_active_units(solution)
    assert feedback.passed, feedback.message
    assert repr(feedback) == "✔ active_units is correct on 4 fresh test cases."


@pytest.mark.parametrize("slip, words", [
    (lambda A, t: A.std(axis=1) > t, "you returned the True/False mask"),
    (lambda A, t: int(np.sum(np.abs(A).mean(axis=1) > t)), "did you measure mean |a| instead of the spread?"),
    (lambda A, t: int(np.sum(A.std(axis=0) > t)), "did you take the spread over axis 0?"),
    (lambda A, t: int(np.sum(A.std(axis=1) <= t)), "did you count the faded units?"),
    (lambda A, t: int(np.sum(A.var(axis=1) > t)), "did you compare the variance"),
])
def test_active_units_slips_are_named(slip, words):
    feedback = checks.check_active_units(slip)
    assert not feedback.passed
    assert words in feedback.message


def test_active_units_feedback_shows_plain_numbers():
    feedback = checks.check_active_units(lambda A, t: np.sum(A.std(axis=1) > 2 * t))
    assert not feedback.passed
    assert "np.int64" not in feedback.message


def test_active_units_cases_mix_the_three_kinds_of_unit():
    for A, t in checks._active_units_cases():
        spread, level = A.std(axis=1), np.abs(A).mean(axis=1)
        assert np.any(spread > t)                        # active
        assert np.any((spread < 1e-12) & (level > t))       # constant: bright by mean |a|, faded by spread
        assert np.any(np.all(A == 0, axis=1))            # dead


def test_active_units_stub():
    assert "active_units is not written yet" in repr(checks.check_active_units(stub))


# --- outgoing_norms ----------------------------------------------------------------------------

def test_outgoing_norms_reference_passes():
    assert checks.check_outgoing_norms(lambda W: np.linalg.norm(W, axis=0)).passed


@pytest.mark.parametrize("slip, words", [
    (lambda W: np.linalg.norm(W, axis=1), "did you take the norm of the rows?"),
    (lambda W: np.sum(W ** 2, axis=0), "you returned the squared norms"),
    (lambda W: np.abs(W).sum(axis=0), "did you sum |W|"),
])
def test_outgoing_norms_slips_are_named(slip, words):
    feedback = checks.check_outgoing_norms(slip)
    assert not feedback.passed
    assert words in feedback.message


def test_outgoing_norms_whole_matrix_norm_is_a_shape_error():
    feedback = checks.check_outgoing_norms(lambda W: np.linalg.norm(W))
    assert not feedback.passed and "(4,)" in feedback.message


def test_outgoing_norms_stub():
    assert "outgoing_norms is not written yet" in repr(checks.check_outgoing_norms(stub))

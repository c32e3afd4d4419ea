"""The notebook-06 checkers, beyond the contract of tests/test_checks.py: other right answers and the cases."""

import numpy as np
import pytest

from regcourse.checks import hidden_units as checks


@pytest.mark.parametrize("solution", [
    lambda A, t: int(np.sum(A.std(axis=1) > t)),
    lambda A, t: np.count_nonzero(np.std(A, axis=1) > t),          # a NumPy integer is fine too
    lambda A, t: sum(1 for row in A if row.std() > t),
])
def test_active_units_right_answers_pass(solution):
    feedback = checks.check_active_units(solution)
    assert feedback.passed, feedback.message
    assert repr(feedback) == "✔ active_units is correct on 4 fresh test cases."


def test_active_units_cases_mix_the_three_kinds_of_unit():
    for A, t in checks.ACTIVE_UNITS.make_cases():
        spread, level = A.std(axis=1), np.abs(A).mean(axis=1)
        assert np.any(spread > t)                        # active
        assert np.any((spread < 1e-12) & (level > t))       # constant: bright by mean |a|, faded by spread
        assert np.any(np.all(A == 0, axis=1))            # dead


def test_outgoing_norms_right_answer_passes():
    assert checks.check_outgoing_norms(lambda W: np.linalg.norm(W, axis=0)).passed


def test_outgoing_norms_whole_matrix_norm_is_a_shape_error():
    feedback = checks.check_outgoing_norms(lambda W: np.linalg.norm(W))
    assert feedback.message.startswith("outgoing_norms returned 2.28637 where")
    assert "where an array of shape (4,) was expected" in feedback.message


def test_outgoing_cases_start_square_so_that_rows_and_columns_differ():
    W, = checks.OUTGOING_NORMS.make_cases()[0]
    assert W.shape[0] == W.shape[1]
    assert not np.allclose(np.linalg.norm(W, axis=0), np.linalg.norm(W, axis=1))

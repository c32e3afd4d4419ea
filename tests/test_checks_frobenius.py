"""The notebook-04 checkers, beyond the contract of tests/test_checks.py: the references, other right answers,
the cases."""

import numpy as np
import pytest

from regcourse import network, penalties
from regcourse.checks import Feedback
from regcourse.checks.frobenius import (L2_COST_NETWORK, SUM_FROBENIUS_SQ, check_l2_cost_network,
                                        check_sum_frobenius_sq, l2_cost_network_reference,
                                        sum_frobenius_sq_reference)


def layers(params):
    return len(params) // 2


# --- the references agree with the package and with hand-worked numbers --------------------------

def test_references_match_the_package():
    for (params,) in SUM_FROBENIUS_SQ.make_cases():
        assert sum_frobenius_sq_reference(params) == pytest.approx(
            sum(penalties.frobenius_norm_sq(params[f"W{l}"]) for l in range(1, layers(params) + 1)))
    for data_loss, params, lambd, m in L2_COST_NETWORK.make_cases():
        assert l2_cost_network_reference(data_loss, params, lambd, m) == pytest.approx(
            data_loss + penalties.l2_penalty(params, lambd, m))


def test_the_reference_agrees_with_network_cost():
    X = np.array([[0.5, -1.0, 2.0], [1.5, 0.2, -0.3]])
    Y = np.array([[1.0, 0.0, 1.0]])
    params = network.initialize([2, 4, 3, 1], seed=5)
    params = {k: v + 0.1 for k, v in params.items()}  # non-zero biases
    got = network.cost(X, Y, params, lambd=0.8)
    assert l2_cost_network_reference(got.data_loss, params, 0.8, 3) == pytest.approx(got.total)


def test_hand_worked_values():
    # W1 = [[1, 2], [0, -1]] -> 1 + 4 + 0 + 1 = 6; W2 = [[3, -1]] -> 9 + 1 = 10; total 16
    params = {"W1": np.array([[1.0, 2.0], [0.0, -1.0]]), "b1": np.array([[5.0], [5.0]]),
              "W2": np.array([[3.0, -1.0]]), "b2": np.array([[7.0]])}
    assert sum_frobenius_sq_reference(params) == 16.0
    # 0.25 + (2 / (2 * 4)) * 16 = 0.25 + 4 = 4.25
    assert l2_cost_network_reference(0.25, params, 2.0, 4) == pytest.approx(4.25)


# --- correct answers pass -------------------------------------------------------------------------

def sum_frobenius_loops(params):
    L = len(params) // 2
    total = 0.0
    for l in range(1, L + 1):
        W = params["W" + str(l)]
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                total += W[i, j] ** 2
    return total


def test_correct_answers_pass():
    for feedback in (check_sum_frobenius_sq(sum_frobenius_loops),
                     check_sum_frobenius_sq(lambda p: sum(penalties.frobenius_norm_sq(p[k]) for k in p if k[0] == "W")),
                     check_sum_frobenius_sq(lambda p: sum(np.sum(p[k].T ** 2) for k in p if k[0] == "W")),
                     check_l2_cost_network(lambda d, p, lambd, m: d + lambd / (2 * m) * sum_frobenius_loops(p)),
                     check_l2_cost_network(lambda d, p, lambd, m: d + penalties.l2_penalty(p, lambd, m))):
        assert isinstance(feedback, Feedback)
        assert feedback.passed, feedback
        assert repr(feedback).startswith("✔") and "is correct on 4 fresh test cases" in repr(feedback)


def test_transposed_weights_give_the_same_answer():
    # some texts store W transposed; the Frobenius norm does not care, so neither does the check
    assert check_sum_frobenius_sq(lambda p: sum(np.sum(p[f"W{l}"].T ** 2) for l in range(1, layers(p) + 1))).passed


# --- the checks are well posed ---------------------------------------------------------------------

def test_cases_have_nonzero_biases_and_several_layers():
    for (params,) in SUM_FROBENIUS_SQ.make_cases():
        assert layers(params) >= 2
        assert all(np.abs(params[f"b{l}"]).sum() > 0 for l in range(1, layers(params) + 1))

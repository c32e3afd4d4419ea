"""The notebook-04 checkers: right answers pass, each likely slip is named, stubs are spotted."""

import numpy as np
import pytest

from regcourse import network, penalties
from regcourse.checks import Feedback
from regcourse.checks.frobenius import (L2_COST_MISTAKES, SUM_FROBENIUS_MISTAKES, _cost_cases, _sum_cases,
                                        check_l2_cost_network, check_sum_frobenius_sq,
                                        l2_cost_network_reference, sum_frobenius_sq_reference)


def stub(*args):
    raise NotImplementedError  # your code here


def layers(params):
    return len(params) // 2


# --- the references agree with the package and with hand-worked numbers --------------------------

def test_references_match_the_package():
    for (params,) in _sum_cases():
        assert sum_frobenius_sq_reference(params) == pytest.approx(
            sum(penalties.frobenius_norm_sq(params[f"W{l}"]) for l in range(1, layers(params) + 1)))
    for data_loss, params, lambd, m in _cost_cases():
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



def test_crash_is_reported_in_one_sentence():
    feedback = check_sum_frobenius_sq(lambda params: params["W0"].sum())
    assert not feedback.passed and "raised KeyError" in feedback.message


# --- each listed slip is named --------------------------------------------------------------------

def weights(p):
    return [p[f"W{l}"] for l in range(1, layers(p) + 1)]


SUM_SLIPS = {
    "include the biases": lambda p: sum(np.sum(x ** 2) for x in p.values()),
    "take a square root": lambda p: np.sqrt(sum(np.sum(W ** 2) for W in weights(p))),
    "instead of ‖W[l]‖_F²": lambda p: sum(np.linalg.norm(W) for W in weights(p)),
    "forget the last layer": lambda p: sum(np.sum(p[f"W{l}"] ** 2) for l in range(1, layers(p))),
    "forget the first layer": lambda p: sum(np.sum(p[f"W{l}"] ** 2) for l in range(2, layers(p) + 1)),
    "forget to square": lambda p: sum(np.sum(W) for W in weights(p)),
}


@pytest.mark.parametrize("hint", list(SUM_SLIPS))
def test_sum_frobenius_slips_are_named(hint):
    feedback = check_sum_frobenius_sq(SUM_SLIPS[hint])
    assert not feedback.passed
    assert hint in feedback.message, feedback.message


COST_SLIPS = {
    "divide by m instead of 2m": lambda d, p, lambd, m: d + lambd / m * sum_frobenius_loops(p),
    "forget to add the data loss": lambda d, p, lambd, m: lambd / (2 * m) * sum_frobenius_loops(p),
    "include the biases": lambda d, p, lambd, m: d + lambd / (2 * m) * sum(np.sum(x ** 2) for x in p.values()),
    "forget to divide by m": lambda d, p, lambd, m: d + lambd / 2 * sum_frobenius_loops(p),
    "forget a layer": lambda d, p, lambd, m: d + lambd / (2 * m) * sum(
        np.sum(p[f"W{l}"] ** 2) for l in range(1, layers(p))),
}


@pytest.mark.parametrize("hint", list(COST_SLIPS))
def test_l2_cost_slips_are_named(hint):
    feedback = check_l2_cost_network(COST_SLIPS[hint])
    assert not feedback.passed
    assert hint in feedback.message, feedback.message


def test_transposed_weights_give_the_same_answer():
    # seed 002 stores W transposed; the Frobenius norm does not care, so neither does the check
    assert check_sum_frobenius_sq(lambda p: sum(np.sum(p[f"W{l}"].T ** 2) for l in range(1, layers(p) + 1))).passed


# --- the checks are well posed ---------------------------------------------------------------------

@pytest.mark.parametrize("mistakes, cases, reference", [
    (SUM_FROBENIUS_MISTAKES, _sum_cases, sum_frobenius_sq_reference),
    (L2_COST_MISTAKES, _cost_cases, l2_cost_network_reference),
])
def test_every_mistake_differs_from_the_reference_on_the_first_case(mistakes, cases, reference):
    args = cases()[0]
    expected = reference(*args)
    slips = [float(slip(*args)) for slip in mistakes.values()]
    for slip in slips:
        assert not np.isclose(slip, expected)
    for i, a in enumerate(slips):
        for b in slips[i + 1:]:
            assert not np.isclose(a, b)


def test_cases_have_nonzero_biases_and_several_layers():
    for (params,) in _sum_cases():
        assert layers(params) >= 2
        assert all(np.abs(params[f"b{l}"]).sum() > 0 for l in range(1, layers(params) + 1))


def test_the_checker_does_not_let_the_student_change_its_inputs():
    def destructive(params):
        total = sum_frobenius_sq_reference(params)
        params.clear()
        return total

    assert check_sum_frobenius_sq(destructive).passed
    assert check_sum_frobenius_sq(destructive).passed

"""regcourse.penalties: hand-worked numbers, finite differences and properties of the penalty terms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regcourse import penalties

A = np.array([[1.0, 2.0], [3.0, 4.0]])
B = np.array([[1.0], [-1.0]])

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
matrices = st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(lambda s: arrays(float, s, elements=finite))
lambdas = st.floats(0.0, 1e3, allow_nan=False)


# --- hand-worked cases -----------------------------------------------------------------------------

def test_frobenius_norm_sq_hand_worked():
    # 1^2 + 2^2 + 3^2 + 4^2 = 1 + 4 + 9 + 16 = 30
    assert penalties.frobenius_norm_sq(A) == 30.0
    assert penalties.frobenius_norm_sq(A.T) == 30.0  # seed 002 stores W transposed: same number
    assert penalties.frobenius_norm(A) == pytest.approx(np.sqrt(30.0), rel=1e-15)


def test_frobenius_norm_sq_of_a_stack_gives_one_value_per_matrix():
    stack = np.stack([A, 2 * A, np.zeros((2, 2))])
    # 30, 4 * 30 = 120, 0
    np.testing.assert_array_equal(penalties.frobenius_norm_sq(stack), [30.0, 120.0, 0.0])


def test_penalties_of_stacked_networks_give_one_value_per_network():
    # a batched fit stores W[l] as (K, n[l], n[l-1]); each network gets its own penalty
    stack_A, stack_B = np.stack([A, 2 * A]), np.stack([B, 0 * B])
    np.testing.assert_allclose(penalties.l2_penalty([stack_A, stack_B], 0.5, 5), [1.6, 0.05 * 120], rtol=1e-15)
    np.testing.assert_allclose(penalties.l1_penalty([stack_A, stack_B], 0.5, 5), [1.2, 0.1 * 20], rtol=1e-15)
    assert isinstance(penalties.l2_penalty(A, 0.5, 5), float)


def test_l2_penalty_hand_worked():
    # lambd / (2m) * (||A||^2 + ||B||^2) = 0.5 / 10 * (30 + 2) = 0.05 * 32 = 1.6
    assert penalties.l2_penalty([A, B], lambd=0.5, m=5) == pytest.approx(1.6, rel=1e-15)
    assert penalties.l2_penalty(A, lambd=0.5, m=5) == pytest.approx(1.5, rel=1e-15)  # 0.05 * 30


def test_l1_penalty_hand_worked():
    # lambd / m * (sum|A| + sum|B|) = 0.5 / 5 * (10 + 2) = 0.1 * 12 = 1.2
    assert penalties.l1_penalty([A, B], lambd=0.5, m=5) == pytest.approx(1.2, rel=1e-15)
    assert penalties.l1_penalty(-A, lambd=0.5, m=5) == pytest.approx(1.0, rel=1e-15)  # 0.1 * 10


def test_penalties_read_only_the_weights_of_a_params_dict():
    params = {"W1": A, "b1": np.full((2, 1), 100.0), "W2": B.T, "b2": np.array([[-7.0]])}
    assert penalties.l2_penalty(params, 0.5, 5) == penalties.l2_penalty([A, B.T], 0.5, 5)
    assert penalties.l1_penalty(params, 0.5, 5) == penalties.l1_penalty([A, B.T], 0.5, 5)


def test_penalty_dict_orders_layers_numerically():
    # W10 must not be mistaken for W1: every weight counts once, whatever the key order.
    params = {f"W{l}": np.full((1, 1), float(l)) for l in (10, 2, 1)}
    # 0.5 / (2 * 1) * (1 + 4 + 100) = 0.25 * 105
    assert penalties.l2_penalty(params, 0.5, 1) == pytest.approx(26.25, rel=1e-15)


def test_penalty_gradients_hand_worked():
    W = np.array([[2.0, -3.0, 0.0]])
    np.testing.assert_array_equal(penalties.l2_gradient(W, lambd=4.0, m=2), [[4.0, -6.0, 0.0]])  # 4/2 * W
    np.testing.assert_array_equal(penalties.l1_subgradient(W, lambd=4.0, m=2), [[2.0, -2.0, 0.0]])  # 2 * sign


def test_soft_threshold_hand_worked():
    W = np.array([3.0, -3.0, 0.5, -0.5, 1.0, -1.0, 0.0])
    # shrink by 1 towards 0; |w| <= 1 lands exactly on 0 (the boundary |w| = 1 included)
    out = penalties.soft_threshold(W, 1.0)
    np.testing.assert_array_equal(out, [2.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert not np.signbit(out[out == 0]).any(), "zeros should be +0.0"
    np.testing.assert_array_equal(penalties.soft_threshold(W, 0.0), W)  # threshold 0 changes nothing


def test_decay_factor_seed_example_done_right():
    # alpha = lambd = 0.01, m = 10 000: 1 - 0.01 * 0.01 / 10 000 = 1 - 1e-4 / 1e4 = 1 - 1e-8
    factor = penalties.decay_factor(0.01, 0.01, 10_000)
    assert abs(factor - 0.99999999) < 1e-15
    assert abs(factor - (1 - 1e-8)) < 1e-15
    assert abs(factor - 0.999999) > 1e-7  # seed 001 printed 0.999999, which is 1 - 1e-6: wrong
    assert penalties.decay_factor(0.5, 0.0, 10) == 1.0  # lambd = 0: no decay at all


# --- gradients by finite differences ---------------------------------------------------------------

def test_l2_gradient_is_the_derivative_of_l2_penalty(central_difference):
    W = np.random.default_rng(0).standard_normal((3, 4))
    numeric = central_difference(lambda U: penalties.l2_penalty(U, 0.7, 9), W)
    analytic = penalties.l2_gradient(W, 0.7, 9)
    assert np.linalg.norm(numeric - analytic) / np.linalg.norm(numeric + analytic) < 1e-8


def test_l1_subgradient_is_the_derivative_of_l1_penalty_away_from_zero(central_difference):
    W = np.random.default_rng(1).standard_normal((3, 4))
    assert np.abs(W).min() > 1e-3  # away from the kink of |w|
    numeric = central_difference(lambda U: penalties.l1_penalty(U, 0.7, 9), W)
    analytic = penalties.l1_subgradient(W, 0.7, 9)
    assert np.linalg.norm(numeric - analytic) / np.linalg.norm(numeric + analytic) < 1e-8


# --- properties --------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(matrices)
def test_frobenius_norm_is_invariant_under_transpose(W):
    assert penalties.frobenius_norm_sq(W.T) == pytest.approx(penalties.frobenius_norm_sq(W), rel=1e-12, abs=0)
    assert penalties.frobenius_norm_sq(W) == pytest.approx(np.sum(W.ravel() ** 2), rel=1e-12, abs=1e-300)


@settings(max_examples=100, deadline=None)
@given(arrays(float, st.integers(1, 20), elements=finite), st.floats(0.0, 1e3, allow_nan=False))
def test_soft_threshold_shrinks_keeps_sign_and_zeroes_exactly(W, t):
    out = penalties.soft_threshold(W, t)
    assert np.all(np.abs(out) <= np.abs(W))
    assert np.all((np.sign(out) == np.sign(W)) | (out == 0.0))
    np.testing.assert_array_equal(out == 0.0, np.abs(W) <= t)  # exact zero iff |w| <= t
    # away from zero the shrink is exactly t (up to rounding of |w| - t)
    kept = out != 0
    assert np.all(np.abs(np.abs(W[kept]) - np.abs(out[kept]) - t) <= 1e-12 * (1 + np.abs(W[kept])))


@settings(max_examples=60, deadline=None)
@given(st.floats(-100, 100, allow_nan=False), st.floats(0.0, 10.0, allow_nan=False),
       st.floats(-1.0, 1.0, allow_nan=False).filter(lambda d: abs(d) > 1e-3))
def test_soft_threshold_is_the_proximal_step(w, t, delta):
    # prox(w) = argmin_u 1/2 (u - w)^2 + t |u|: no nearby u does better
    def objective(u):
        return 0.5 * (u - w) ** 2 + t * abs(u)

    u = penalties.soft_threshold(np.array([w]), t)[0]
    assert objective(u) <= objective(u + delta) + 1e-9 * (1 + abs(w)) ** 2


@settings(max_examples=60, deadline=None)
@given(matrices, lambdas, st.integers(1, 10_000))
def test_penalties_are_nonnegative_and_linear_in_lambd(W, lambd, m):
    for term in (penalties.l2_penalty, penalties.l1_penalty):
        value = term(W, lambd, m)
        assert value >= 0.0
        assert term(W, 0.0, m) == 0.0
        assert term(W, 3 * lambd, m) == pytest.approx(3 * value, rel=1e-12, abs=1e-300)
        assert term(W, lambd, 2 * m) == pytest.approx(value / 2, rel=1e-12, abs=1e-300)


@settings(max_examples=60, deadline=None)
@given(matrices, lambdas, st.integers(1, 10_000))
def test_l2_penalty_is_half_lambd_over_m_times_frobenius(W, lambd, m):
    assert penalties.l2_penalty(W, lambd, m) == pytest.approx(
        lambd / (2 * m) * penalties.frobenius_norm(W) ** 2, rel=1e-9, abs=1e-300)


@settings(max_examples=60, deadline=None)
@given(st.floats(1e-6, 10.0), st.floats(0.0, 100.0), st.integers(1, 100_000))
def test_decay_factor_is_one_minus_alpha_lambd_over_m(alpha, lambd, m):
    assert penalties.decay_factor(alpha, lambd, m) == pytest.approx(1 - alpha * lambd / m, rel=1e-15, abs=1e-15)

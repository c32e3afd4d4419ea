"""Adam / AdamW in NumPy: the step formulas, and where L2 and decoupled decay agree or part ways."""

import re

import numpy as np
import pytest

from regcourse import data, network, optimizers


@pytest.fixture(scope="module")
def problem():
    X, Y = data.make_moons(120, noise=0.25, seed=2)
    return X, Y, network.initialize([2, 8, 8, 1], seed=5)


# --- the step formulas --------------------------------------------------------------------------

def test_first_adam_step_by_hand():
    # t = 1, g = 0.5: m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 2.5e-4,
    # m_hat = 0.05 / 0.1 = 0.5, v_hat = 2.5e-4 / 0.001 = 0.25, step = 0.1 * 0.5 / (0.5 + 1e-8)
    params = {"W1": np.array([[2.0]]), "b1": np.array([[0.0]])}
    grads = {"dW1": np.array([[0.5]]), "db1": np.array([[-4.0]])}
    new, state = optimizers.adam_step(params, grads, optimizers.init_state(params), learning_rate=0.1)
    assert new["W1"][0, 0] == pytest.approx(2.0 - 0.1 * 0.5 / (0.5 + 1e-8), rel=1e-15)
    assert new["b1"][0, 0] == pytest.approx(0.1 * 4.0 / (4.0 + 1e-8), rel=1e-15)
    assert state["t"] == 1
    assert state["m"]["W1"][0, 0] == pytest.approx(0.05)
    assert state["v"]["W1"][0, 0] == pytest.approx(2.5e-4)


def test_adamw_with_zero_decay_is_adam(problem):
    X, Y, params = problem
    a = optimizers.train(X, Y, params, optimizer="adam", lambd=0.0, num_iterations=30)[0]
    w = optimizers.train(X, Y, params, optimizer="adamw", weight_decay=0.0, num_iterations=30)[0]
    for key in a:
        np.testing.assert_array_equal(a[key], w[key])


def test_adamw_decay_alone_multiplies_weights_by_one_minus_alpha_wd():
    # zero gradients: m = v = 0, so Adam's part is 0 / (0 + eps) = 0 and only the decay acts
    params = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[3.0]])}
    zeros = {"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}
    state = optimizers.init_state(params)
    for _ in range(10):
        params, state = optimizers.adamw_step(params, zeros, state, learning_rate=0.1, weight_decay=0.5)
    np.testing.assert_allclose(params["W1"], np.array([[1.0, -2.0]]) * 0.95 ** 10, rtol=1e-14)
    assert params["b1"][0, 0] == 3.0          # biases are never decayed


def test_steps_leave_their_inputs_untouched(problem):
    X, Y, params = problem
    before = {k: v.copy() for k, v in params.items()}
    _, cache = network.forward(X, params)
    grads = network.backward(Y, params, cache)
    state = optimizers.init_state(params)
    optimizers.adamw_step(params, grads, state, weight_decay=0.1)
    optimizers.gd_step(params, grads, 0.1, weight_decay=0.1)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])
        assert not state["m"][key].any() and not state["v"][key].any()
    assert state["t"] == 0


# --- gradient descent: L2 in the gradient is decoupled decay -------------------------------------

@pytest.mark.parametrize("lambd", [0.1, 3.0, 40.0])
def test_under_gd_l2_gradient_equals_decoupled_decay(problem, lambd):
    X, Y, params = problem
    m, alpha = X.shape[1], 0.3
    _, cache = network.forward(X, params)
    l2_step = network.update(params, network.backward(Y, params, cache, lambd=lambd), alpha)
    decoupled = optimizers.gd_step(params, network.backward(Y, params, cache), alpha, weight_decay=lambd / m)
    for key in params:
        np.testing.assert_allclose(decoupled[key], l2_step[key], rtol=0, atol=1e-15)
    # ... and after 200 steps, to rounding
    l2_run = optimizers.train(X, Y, params, optimizer="gd", lambd=lambd, learning_rate=alpha, num_iterations=200)
    dec_run = optimizers.train(X, Y, params, optimizer="gd", weight_decay=lambd / m, learning_rate=alpha,
                               num_iterations=200)
    for key in params:
        np.testing.assert_allclose(dec_run[0][key], l2_run[0][key], rtol=0, atol=1e-12)


def test_gd_train_matches_network_train(problem):
    X, Y, params = problem
    ours, _, history = optimizers.train(X, Y, params, optimizer="gd", lambd=2.0, learning_rate=0.3,
                                        num_iterations=50)
    fit = network.train(X, Y, params=params, lambd=2.0, learning_rate=0.3, num_iterations=50, record_every=10)
    for key in params:
        np.testing.assert_allclose(ours[key], fit.params[key], atol=1e-13)
    np.testing.assert_allclose(history["frobenius"][::10], fit.history["frobenius"], atol=1e-13)


# --- Adam: they differ, and why ----------------------------------------------------------------------

def test_under_adam_l2_and_decoupled_decay_differ(problem):
    X, Y, params = problem
    m, lambd = X.shape[1], 5.0
    adam_l2 = optimizers.train(X, Y, params, optimizer="adam", lambd=lambd, num_iterations=100)[0]
    adamw = optimizers.train(X, Y, params, optimizer="adamw", weight_decay=lambd / m, num_iterations=100)[0]
    difference = max(np.abs(adam_l2[k] - adamw[k]).max() for k in params if k.startswith("W"))
    assert difference > 1e-3


def _alternating_run(mode, sigma, lambd_over_m=0.01, alpha=0.01, steps=500):
    """Two weights, both starting at 1, whose data gradients alternate ±sigma (zero on average)."""
    params = {"W1": np.ones((1, 2)), "b1": np.zeros((1, 1))}
    state = optimizers.init_state(params)
    for t in range(steps):
        g = sigma * (-1.0) ** t
        if mode == "adam+l2":
            g = g + lambd_over_m * params["W1"]
        grads = {"dW1": g, "db1": np.zeros((1, 1))}
        if mode == "adamw":
            params, state = optimizers.adamw_step(params, grads, state, alpha, weight_decay=lambd_over_m)
        else:
            params, state = optimizers.adam_step(params, grads, state, alpha)
    return params["W1"][0]


def test_adam_rescales_the_l2_term_so_large_gradient_weights_decay_less():
    sigma = np.array([[10.0, 0.1]])          # weight 0: large gradients; weight 1: small ones
    lambd_over_m, alpha, steps = 0.01, 0.01, 500
    plain = _alternating_run("adam", sigma)
    # Adam alone is scale-invariant: both weights follow the same path (up to eps = 1e-8)
    assert plain[0] == pytest.approx(plain[1], abs=1e-7)
    shrink_l2 = plain - _alternating_run("adam+l2", sigma)
    shrink_w = plain - _alternating_run("adamw", sigma)
    # AdamW: the same shrinkage for both, about 1 - (1 - α wd)^steps
    assert shrink_w[0] == pytest.approx(shrink_w[1], abs=1e-7)
    assert shrink_w[0] == pytest.approx(1 - (1 - alpha * lambd_over_m) ** steps, rel=0.05)
    # Adam + L2: the L2 gradient is divided by sqrt(v_hat) ≈ sigma, so the shrinkage is about
    # steps · α (λ/m) w / sigma: 500 · 0.01 · 0.01 / 10 = 0.005 for weight 0 ...
    assert shrink_l2[0] == pytest.approx(steps * alpha * lambd_over_m / sigma[0, 0], rel=0.1)
    # ... and 100 times more for weight 1 (less than 100 in the end, as its w shrinks as it goes)
    assert shrink_l2[1] > 50 * shrink_l2[0]


# --- bad input ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda p, g, s: optimizers.adam_step(p, g, s, learning_rate=0.0), "learning_rate must be > 0"),
    (lambda p, g, s: optimizers.adam_step(p, g, s, beta1=1.0), "beta1 must be < 1"),
    (lambda p, g, s: optimizers.adam_step(p, g, s, beta2=-0.1), "beta2 must be >= 0"),
    (lambda p, g, s: optimizers.adamw_step(p, g, s, weight_decay=-1e-3), "weight_decay must be >= 0"),
    (lambda p, g, s: optimizers.adam_step(p, g, None), "state must be a dict"),
    (lambda p, g, s: optimizers.adam_step(p, {"dW1": g["dW1"]}, s), "grads must hold"),
    (lambda p, g, s: optimizers.adam_step(p, {"dW1": g["dW1"].T, "db1": g["db1"]}, s), r"grads\['dW1'\] must have the shape"),
    (lambda p, g, s: optimizers.gd_step(p, g, 0.1, weight_decay=np.nan), "weight_decay must be finite"),
    (lambda p, g, s: optimizers.adam_step([1.0], g, s), "params must be a non-empty dict"),
])
def test_bad_input_names_the_argument(call, match):
    params = {"W1": np.ones((2, 3)), "b1": np.zeros((2, 1))}
    grads = {"dW1": np.ones((2, 3)), "db1": np.ones((2, 1))}
    with pytest.raises((ValueError, TypeError), match=match):
        call(params, grads, optimizers.init_state(params))


def test_train_rejects_weight_decay_for_plain_adam(problem):
    X, Y, params = problem
    with pytest.raises(ValueError, match="optimizer 'adam' has no decoupled weight decay"):
        optimizers.train(X, Y, params, optimizer="adam", weight_decay=0.1)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        optimizers.train(X, Y, params, optimizer="rmsprop")
    with pytest.raises(ValueError, match="params must hold W1, b1"):
        optimizers.train(X, Y, {"W1": params["W1"]})
    with pytest.raises(ValueError, match="X must have shape"):
        optimizers.train(X.T, Y, params)


# --- divergence ------------------------------------------------------------------------------------

@pytest.mark.parametrize("options, reason", [
    (dict(optimizer="gd", lambd=1e6, learning_rate=0.1), r"the decay factor of the weights is .* ≤ 0"),
    (dict(optimizer="adamw", weight_decay=1e6, learning_rate=0.01), r"the decay factor of the weights is .* ≤ 0"),
    (dict(optimizer="gd", learning_rate=1e4), r"the cost (grew to|became non-finite)"),
])
def test_training_that_diverges_stops_with_finite_params_and_says_why(problem, options, reason):
    X, Y, params = problem
    with pytest.warns(network.DivergenceWarning, match="training diverged: " + reason):
        run = optimizers.train(X, Y, params, num_iterations=50, **options)
    assert run.diverged and re.search(reason, run.divergence)
    assert all(np.isfinite(value).all() for value in run.params.values())
    params_out, _, history = run          # still unpacks as (params, state, history)
    assert params_out is run.params and history["frobenius"].shape == (51, 3)
    assert np.isnan(history["frobenius"][-1]).all() and np.isfinite(history["frobenius"][0]).all()


def test_training_that_converges_is_not_flagged(problem):
    X, Y, params = problem
    run = optimizers.train(X, Y, params, optimizer="adam", lambd=1.0, num_iterations=30)
    assert not run.diverged and run.divergence is None
    assert np.isfinite(run.history["frobenius"]).all()

"""regcourse.network: hand-worked forward, gradient checks, weight decay, the properties of L2 and L1,
and training batched over lambd equal to one run per lambd."""

import re
import warnings

import numpy as np
import pytest

from regcourse import data, gradcheck, network, penalties

X, Y = data.make_moons(200, noise=0.2, seed=1)
DIMS = [2, 20, 3, 1]


def flat(d):
    return np.concatenate([np.ravel(d[k]) for k in sorted(d)])


def rel_diff(a, b):
    a, b = flat(a), flat(b)
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


def assert_same_params(a, b, rtol=0.0):
    assert sorted(a) == sorted(b)
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=rtol, atol=rtol * np.abs(b[key]).max(), err_msg=key)


# --- hand-worked cases -----------------------------------------------------------------------------

ONE_UNIT = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[0.5]]),
            "W2": np.array([[3.0]]), "b2": np.array([[-1.0]])}
X2 = np.array([[1.0, 2.0], [1.0, 0.0]])  # two examples, as columns: (1, 1) and (2, 0)


def test_one_hidden_unit_forward_by_hand():
    # Z1 = W1 x + b1:  1*1 - 2*1 + 0.5 = -0.5   and   1*2 - 2*0 + 0.5 = 2.5
    # ReLU:  A1 = 0, 2.5;   Z2 = 3 A1 - 1 = -1, 6.5;   A2 = sigmoid(Z2)
    AL, cache = network.forward(X2, ONE_UNIT, "relu")
    np.testing.assert_array_equal(cache["A0"], X2)
    np.testing.assert_array_equal(cache["Z1"], [[-0.5, 2.5]])
    np.testing.assert_array_equal(cache["A1"], [[0.0, 2.5]])
    np.testing.assert_array_equal(cache["Z2"], [[-1.0, 6.5]])
    np.testing.assert_allclose(AL, [[1 / (1 + np.e), 1 / (1 + np.exp(-6.5))]], rtol=1e-15)
    assert cache["A2"] is AL
    # tanh:  A1 = tanh(-0.5), tanh(2.5);  Z2 = 3 A1 - 1
    AL, cache = network.forward(X2, ONE_UNIT, "tanh")
    Z2 = 3 * np.tanh(np.array([[-0.5, 2.5]])) - 1
    np.testing.assert_allclose(cache["Z2"], Z2, rtol=1e-15)
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-Z2)), rtol=1e-15)


def test_one_hidden_unit_cost_by_hand():
    Y2 = np.array([[0.0, 1.0]])
    c = network.cost(X2, Y2, ONE_UNIT, lambd=2.0, penalty="l2")
    # data: -(log(1 - sigmoid(-1)) + log sigmoid(6.5)) / 2
    a = 1 / (1 + np.exp(-np.array([-1.0, 6.5])))
    assert c.data_loss == pytest.approx(-(np.log(1 - a[0]) + np.log(a[1])) / 2, rel=1e-14)
    # L2: lambd / (2m) (1 + 4 + 9) = 2 / 4 * 14 = 7;  L1: lambd / m (1 + 2 + 3) = 1 * 6 = 6
    assert c.penalty == 7.0
    assert network.cost(X2, Y2, ONE_UNIT, lambd=2.0, penalty="l1").penalty == 6.0
    assert c.total == c.data_loss + c.penalty


def test_one_hidden_unit_backward_by_hand():
    Y2 = np.array([[0.0, 1.0]])
    AL, cache = network.forward(X2, ONE_UNIT)
    g = network.backward(Y2, ONE_UNIT, cache)
    dZ2 = AL - Y2
    # dW2 = dZ2 A1^T / m = (dZ2[0]*0 + dZ2[1]*2.5) / 2 ; db2 = mean(dZ2)
    assert g["dW2"][0, 0] == pytest.approx(dZ2[0, 1] * 2.5 / 2, rel=1e-15)
    assert g["db2"][0, 0] == pytest.approx(dZ2.mean(), rel=1e-15)
    # dZ1 = W2^T dZ2 * relu'(Z1) = (0, 3 dZ2[1]) ; dW1 = dZ1 X^T / 2 = 3 dZ2[1] * (2, 0) / 2
    np.testing.assert_allclose(g["dW1"], [[3 * dZ2[0, 1], 0.0]], rtol=1e-15)
    assert g["db1"][0, 0] == pytest.approx(1.5 * dZ2[0, 1], rel=1e-15)


@pytest.mark.parametrize("penalty, term", [("l2", lambda W: 0.3 / 200 * W), ("l1", lambda W: 0.3 / 200 * np.sign(W))])
def test_the_regularized_gradient_adds_one_term_to_dW_only(penalty, term):
    params = network.initialize(DIMS, seed=3)
    _, cache = network.forward(X, params)
    plain = network.backward(Y, params, cache)
    reg = network.backward(Y, params, cache, lambd=0.3, penalty=penalty)
    for l in (1, 2, 3):
        np.testing.assert_allclose(reg[f"dW{l}"] - plain[f"dW{l}"], term(params[f"W{l}"]), rtol=0, atol=1e-15)
        np.testing.assert_array_equal(reg[f"db{l}"], plain[f"db{l}"])  # biases are not penalized


def test_initialize_shapes_scale_and_seeding():
    params = network.initialize([2, 20, 3, 1], seed=0)
    assert {k: v.shape for k, v in params.items()} == {
        "W1": (20, 2), "b1": (20, 1), "W2": (3, 20), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}
    assert all(not params[f"b{l}"].any() for l in (1, 2, 3))
    # He scale sqrt(2 / n[l-1]) for ReLU, sqrt(1 / n[l-1]) for tanh
    for activation, gain in [("relu", 2.0), ("tanh", 1.0)]:
        W = network.initialize([400, 500, 1], activation, seed=1)["W1"]
        assert W.std() == pytest.approx(np.sqrt(gain / 400), rel=0.02)
    same, other = network.initialize(DIMS, seed=0), network.initialize(DIMS, seed=1)
    assert_same_params(params, same)
    assert not np.array_equal(params["W1"], other["W1"])
    assert_same_params(network.initialize(DIMS, seed=np.random.default_rng(0)), params)


def test_initialize_and_train_leave_the_global_random_state_alone():
    np.random.seed(99)
    before = np.random.get_state()[1].copy()
    network.train(X, Y, DIMS, lambd=[0.1, 1.0], num_iterations=3)
    network.train(X, Y, DIMS, lambd=0.1, num_iterations=3)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_layer_helpers():
    params = network.initialize([2, 5, 4, 1])
    assert network.num_layers(params) == 3
    assert network.layer_dims_of(params) == [2, 5, 4, 1]


# --- gradient checks -------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_backward_matches_finite_differences(central_difference, activation, penalty):
    Xs, Ys = data.make_moons(20, seed=5)
    params = network.initialize([2, 5, 3, 1], activation, seed=0)
    params = {k: v + 0.1 if k.startswith("b") else v for k, v in params.items()}  # nonzero biases too
    lambd, eps = 0.7, 1e-6
    _, cache = network.forward(Xs, params, activation)
    # away from the kinks: ReLU at Z = 0 and |w| at w = 0 (an eps-step must not cross either)
    assert min(np.abs(cache[f"Z{l}"]).min() for l in (1, 2)) > 1e-3
    assert min(np.abs(params[f"W{l}"]).min() for l in (1, 2, 3)) > 1e-3

    def J(p):
        return network.cost(Xs, Ys, p, lambd, penalty, activation).total

    grads = network.backward(Ys, params, cache, lambd, penalty, activation)
    assert gradcheck.gradient_check(J, params, grads, eps) < 1e-7
    assert rel_diff(grads, central_difference(J, params, eps)) < 1e-7


@pytest.mark.parametrize("mistake, lambd_in_grads", [("forgot the penalty", 0.0), ("divided by 2m", 0.35)])
def test_the_gradient_check_catches_a_wrong_penalty_gradient(mistake, lambd_in_grads):
    Xs, Ys = data.make_moons(20, seed=5)
    params = network.initialize([2, 5, 3, 1], seed=0)
    J = lambda p: network.cost(Xs, Ys, p, 0.7).total  # noqa: E731
    _, cache = network.forward(Xs, params)
    wrong = network.backward(Ys, params, cache, lambd_in_grads)
    assert gradcheck.gradient_check(J, params, wrong) > 1e-3, mistake


# --- weight decay ----------------------------------------------------------------------------------

def test_weight_decay_form_equals_gradient_form():
    params = network.initialize(DIMS, seed=0)
    m, alpha, lambd = Y.shape[1], 0.5, 3.0
    _, cache = network.forward(X, params)
    gradient_form = network.update(params, network.backward(Y, params, cache, lambd), alpha)
    decay_form = network.weight_decay_update(params, network.backward(Y, params, cache), alpha, lambd, m)
    for key in params:
        diff = np.linalg.norm(gradient_form[key] - decay_form[key]) / np.linalg.norm(gradient_form[key])
        assert diff < 1e-15, key
    assert not np.allclose(gradient_form["W1"], network.update(params, network.backward(Y, params, cache), alpha)["W1"])


def test_weight_decay_multiplies_W_by_the_decay_factor():
    params = network.initialize(DIMS, seed=0)
    zero = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    out = network.weight_decay_update(params, zero, 0.01, 0.01, 10_000)
    factor = penalties.decay_factor(0.01, 0.01, 10_000)  # 1 - 1e-8
    for l in (1, 2, 3):
        np.testing.assert_array_equal(out[f"W{l}"], factor * params[f"W{l}"])
        np.testing.assert_array_equal(out[f"b{l}"], params[f"b{l}"])


def test_training_with_l2_is_a_weight_decay_loop():
    start = network.initialize(DIMS, seed=2)
    m, alpha, lambd, n = Y.shape[1], 0.5, 5.0, 60
    params = start
    for _ in range(n):
        _, cache = network.forward(X, params)
        params = network.weight_decay_update(params, network.backward(Y, params, cache), alpha, lambd, m)
    fit = network.train(X, Y, params=start, lambd=lambd, learning_rate=alpha, num_iterations=n)
    assert_same_params(fit.params, params, rtol=1e-12)


# --- lambd = 0 is no regularization ------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_lambd_zero_is_plain_gradient_descent(activation):
    start = network.initialize(DIMS, activation, seed=4)
    params = start
    for _ in range(50):
        _, cache = network.forward(X, params, activation)
        params = network.update(params, network.backward(Y, params, cache, activation=activation), 0.5)
    l2 = network.train(X, Y, params=start, lambd=0.0, penalty="l2", activation=activation, num_iterations=50)
    l1 = network.train(X, Y, params=start, lambd=0.0, penalty="l1", activation=activation, num_iterations=50)
    assert_same_params(l2.params, params, rtol=1e-12)
    assert_same_params(l1.params, l2.params)  # the penalty is irrelevant at lambd = 0: identical runs
    for fit in (l1, l2):
        assert (fit.history["penalty"] == 0.0).all()
        np.testing.assert_array_equal(fit.history["data_loss"], l2.history["data_loss"])
    for penalty in ("l2", "l1"):
        c = network.cost(X, Y, params, 0.0, penalty, activation)
        assert c.penalty == 0.0 and c.total == c.data_loss


# --- larger lambd, smaller weights; L1 zeros ---------------------------------------------------------

GRID = np.array([0.0, 0.1, 1.0, 3.0, 10.0, 30.0])


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_larger_lambd_gives_smaller_weights(activation):
    fit = network.train(X, Y, DIMS, lambd=GRID, activation=activation, num_iterations=800)
    norms = fit.sum_frobenius_sq()
    assert np.all(np.diff(norms) < 0), norms
    assert np.count_nonzero(fit.params["W1"] == 0.0) == 0  # L2 shrinks but never zeroes
    l1 = network.train(X, Y, DIMS, lambd=GRID, penalty="l1", activation=activation, num_iterations=800)
    l1_norms = sum(np.abs(l1.params[f"W{l}"]).sum(axis=(1, 2)) for l in (1, 2, 3))
    assert np.all(np.diff(l1_norms) < 0), l1_norms


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_l1_gives_exact_zeros_growing_with_lambd(activation):
    fit = network.train(X, Y, DIMS, lambd=GRID, penalty="l1", activation=activation, num_iterations=800)
    zeros = sum(np.count_nonzero(fit.params[f"W{l}"] == 0.0, axis=(1, 2)) for l in (1, 2, 3))
    assert zeros[0] == 0 and zeros[-1] > 20, zeros
    assert np.all(np.diff(zeros) >= 0), zeros
    assert not np.signbit(fit.params["W1"][fit.params["W1"] == 0]).any()  # +0.0, not -0.0


def test_subgradient_steps_jitter_where_the_proximal_step_gives_zeros():
    # Plain (sub)gradient descent on the L1 cost leaves weights hovering near 0, never exactly 0:
    # the reason training uses the soft-threshold step.
    start = network.initialize(DIMS, seed=0)
    params = start
    for _ in range(400):
        _, cache = network.forward(X, params)
        params = network.update(params, network.backward(Y, params, cache, 10.0, "l1"), 0.5)
    proximal = network.train(X, Y, params=start, lambd=10.0, penalty="l1", num_iterations=400)
    W_sub, W_prox = params["W1"], proximal.params["W1"]
    assert np.count_nonzero(W_sub == 0.0) == 0
    assert np.count_nonzero(W_prox == 0.0) > 5
    assert np.count_nonzero(np.abs(W_sub) < 0.05) >= np.count_nonzero(W_prox == 0.0) // 2


# --- batched over lambd equals one run per lambd -----------------------------------------------------

def _single(lambd, penalty, activation, n):
    return network.train(X, Y, DIMS, lambd=float(lambd), penalty=penalty, activation=activation,
                         num_iterations=n, seed=6, record_every=7)


def _assert_slice_equals_single(batched, single, k):
    part = batched[k]
    assert part.lambd == single.lambd and not part.batched
    assert_same_params(part.params, single.params, rtol=1e-12)
    for key in single.history:
        np.testing.assert_allclose(part.history[key], single.history[key], rtol=1e-12, atol=1e-300, err_msg=key)
        assert part.history[key].shape == single.history[key].shape


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_batched_training_equals_single_runs(activation, penalty):
    lambdas = np.array([0.0, 0.5, 5.0])
    batched = network.train(X, Y, DIMS, lambd=lambdas, penalty=penalty, activation=activation,
                            num_iterations=120, seed=6, record_every=7)
    assert len(batched) == 3 and batched.batched
    assert batched.params["W1"].shape == (3, 20, 2)
    assert batched.history["data_loss"].shape == (len(batched.history["iteration"]), 3)
    assert batched.history["frobenius"].shape == (len(batched.history["iteration"]), 3, 3)
    for k, lambd in enumerate(lambdas):
        _assert_slice_equals_single(batched, _single(lambd, penalty, activation, 120), k)


def test_many_lambdas_split_over_threads_still_equal_single_runs():
    lambdas = np.logspace(-2, 1.5, 17)  # enough values to be split into chunks
    batched = network.train(X, Y, DIMS, lambd=lambdas, num_iterations=40, seed=6, record_every=7)
    for k in (0, 8, 9, 16):
        _assert_slice_equals_single(batched, _single(lambdas[k], "l2", "relu", 40), k)
    assert batched[-1].lambd == lambdas[-1]


def test_a_batch_of_one():
    batched = network.train(X, Y, DIMS, lambd=[0.5], num_iterations=30, seed=6, record_every=7)
    assert len(batched) == 1 and batched.params["W1"].shape == (1, 20, 2)
    _assert_slice_equals_single(batched, _single(0.5, "l2", "relu", 30), 0)


def test_batched_fit_methods_stack_the_single_ones():
    lambdas = np.array([0.1, 1.0, 10.0])
    batched = network.train(X, Y, DIMS, lambd=lambdas, num_iterations=50)
    proba, acc, cost = batched.predict_proba(X), batched.accuracy(X, Y), batched.cost(X, Y)
    assert proba.shape == (3, 1, 200) and acc.shape == (3,) and cost.total.shape == (3,)
    np.testing.assert_array_equal(batched.predict(X), (proba > 0.5).astype(float))
    frob = batched.sum_frobenius_sq()
    for k in range(3):
        single = batched[k]
        np.testing.assert_allclose(proba[k], single.predict_proba(X), rtol=1e-13)
        assert acc[k] == single.accuracy(X, Y)
        expected = network.cost(X, Y, single.params, lambdas[k])
        for got, want in zip(cost, expected):
            assert got[k] == pytest.approx(want, rel=1e-13)
        assert frob[k] == pytest.approx(single.sum_frobenius_sq(), rel=1e-13)


# --- initial parameters, determinism, history --------------------------------------------------------

def test_given_initial_params_reproduce_the_run_exactly():
    start = network.initialize(DIMS, "tanh", seed=7)
    kept = {k: v.copy() for k, v in start.items()}
    from_seed = network.train(X, Y, DIMS, activation="tanh", lambd=0.3, num_iterations=60, seed=7)
    from_params = network.train(X, Y, params=start, activation="tanh", lambd=0.3, num_iterations=60)
    with_dims = network.train(X, Y, DIMS, params=start, activation="tanh", lambd=0.3, num_iterations=60, seed=123)
    assert_same_params(from_params.params, from_seed.params)
    assert_same_params(with_dims.params, from_seed.params)  # params win over the seed
    assert_same_params(start, kept)  # the caller's arrays are not modified
    batched = network.train(X, Y, params=start, activation="tanh", lambd=[0.3, 1.0], num_iterations=60)
    assert_same_params(batched[0].params, from_seed.params, rtol=1e-12)
    assert_same_params(start, kept)


def test_same_seed_same_fit_different_seed_different_fit():
    a = network.train(X, Y, DIMS, lambd=[0.1, 1.0], num_iterations=40, seed=1)
    b = network.train(X, Y, DIMS, lambd=[0.1, 1.0], num_iterations=40, seed=1)
    c = network.train(X, Y, DIMS, lambd=[0.1, 1.0], num_iterations=40, seed=2)
    assert_same_params(a.params, b.params)
    for key in a.history:
        np.testing.assert_array_equal(a.history[key], b.history[key])
    assert not np.array_equal(a.params["W1"], c.params["W1"])


def test_history_records_what_it_says():
    start = network.initialize(DIMS, seed=0)
    calls = []
    fit = network.train(X, Y, params=start, lambd=2.0, num_iterations=25, record_every=10,
                        callback=lambda done, total: calls.append((done, total)))
    h = fit.history
    np.testing.assert_array_equal(h["iteration"], [0, 10, 20, 25])
    assert calls == [(0, 25), (10, 25), (20, 25), (25, 25)]
    first, last = network.cost(X, Y, start, 2.0), fit.cost(X, Y)
    assert h["data_loss"][0] == pytest.approx(first.data_loss, rel=1e-14)
    assert h["penalty"][0] == pytest.approx(first.penalty, rel=1e-14)
    assert h["data_loss"][-1] == pytest.approx(last.data_loss, rel=1e-14)
    assert h["penalty"][-1] == pytest.approx(last.penalty, rel=1e-14)
    norms = [penalties.frobenius_norm(fit.params[f"W{l}"]) for l in (1, 2, 3)]
    np.testing.assert_allclose(h["frobenius"][-1], norms, rtol=1e-14)
    assert fit.sum_frobenius_sq() == pytest.approx(np.sum(h["frobenius"][-1] ** 2), rel=1e-13)


def test_zero_iterations_returns_the_start():
    start = network.initialize(DIMS, seed=0)
    fit = network.train(X, Y, params=start, num_iterations=0)
    assert_same_params(fit.params, start)
    np.testing.assert_array_equal(fit.history["iteration"], [0])


def test_training_fits_the_moons():
    fit = network.train(X, Y, DIMS, lambd=0.1, num_iterations=1500)
    assert fit.accuracy(X, Y) > 0.95
    assert fit.history["data_loss"][-1] < 0.5 * fit.history["data_loss"][0]
    assert isinstance(fit.accuracy(X, Y), float)
    np.testing.assert_array_equal(fit.predict(X), (fit.predict_proba(X) > 0.5).astype(float))
    AL, cache = fit.forward(X)
    np.testing.assert_array_equal(AL, fit.predict_proba(X))
    assert len(fit) == 1
    with pytest.raises(TypeError, match="single lambd"):
        fit[0]


# --- the formulas a student reads are the ones that run -------------------------------------------

def test_linear_backward_hand_worked():
    # dZ = [[1, -1]], A_prev = [[1, 2], [1, 0]] (two examples), W = [[2, -1]], m = 2
    # dW = dZ A_prev^T / m = [[1*1 - 1*2, 1*1 - 1*0]] / 2 = [[-0.5, 0.5]];  + (lambd/m) W = + (3/2) [[2, -1]]
    # db = (1 - 1) / 2 = 0
    dZ, W = np.array([[1.0, -1.0]]), np.array([[2.0, -1.0]])
    dW, db = network.linear_backward(dZ, X2, W)
    np.testing.assert_array_equal(dW, [[-0.5, 0.5]])
    np.testing.assert_array_equal(db, [[0.0]])
    dW_l2, db_l2 = network.linear_backward(dZ, X2, W, lambd=3.0)
    np.testing.assert_array_equal(dW_l2, [[-0.5 + 3.0, 0.5 - 1.5]])
    np.testing.assert_array_equal(db_l2, db)
    dW_l1, _ = network.linear_backward(dZ, X2, W, lambd=3.0, penalty="l1")
    np.testing.assert_array_equal(dW_l1, [[-0.5 + 1.5, 0.5 - 1.5]])


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_each_derivative_is_the_slope_of_its_activation(activation):
    g, g_prime = {"relu": (network.relu, network.relu_derivative),
                  "tanh": (network.tanh, network.tanh_derivative)}[activation]
    Z = np.array([[-2.0, -0.3, 0.4, 1.7]])
    slope = (g(Z + 1e-6) - g(Z - 1e-6)) / 2e-6
    np.testing.assert_allclose(g_prime(g(Z)).astype(float), slope, rtol=1e-8, atol=1e-10)


def test_training_calls_the_public_functions():
    # every formula training uses is reached through a public name; the loop calls its body, unchecked
    for fn in (network.forward, network.backward, network.linear_backward, network.relu, network.tanh,
               network.relu_derivative, network.tanh_derivative, network.cross_entropy, penalties.l2_penalty,
               penalties.l2_gradient, penalties.soft_threshold, penalties.decay_factor):
        assert fn.unchecked.__name__ == fn.__name__ and fn.__wrapped__ is fn.unchecked


# --- divergence: an outcome per network, never a crash ---------------------------------------------

def _explorer_run(lambdas, **options):
    # what NetworkExplorer(m=40) trains: 24 training examples, learning rate 0.5
    Xs, Ys = data.load("moons", m=40, seed=0)
    split = data.train_dev_test_split(Xs, Ys, seed=0)
    return network.train(split.X_train, split.Y_train, [2, 20, 3, 1], lambd=lambdas, learning_rate=0.5,
                         num_iterations=200, seed=0, **options), split


def test_a_negative_decay_factor_is_flagged_and_the_other_lambdas_train_as_alone():
    lambdas = np.array([0.0, 0.1, 1.0, 10.0, 100.0])
    with pytest.warns(network.DivergenceWarning, match=r"training diverged for λ = 100: see fit.divergence"):
        fit, split = _explorer_run(lambdas)
    np.testing.assert_array_equal(fit.diverged, [False, False, False, False, True])
    assert fit.divergence[:4] == (None,) * 4
    # α·λ/m = 0.5 * 100 / 24 = 2.08
    assert fit.divergence[4] == ("α·λ/m = 2.08 ≥ 1: the decay factor 1 − α·λ/m = -1.08 is ≤ 0, so each step "
                                 "flips the sign of W. Lower the learning rate or λ")
    start = network.initialize([2, 20, 3, 1], seed=0)
    for key in start:   # frozen where it stopped: before its first step
        np.testing.assert_array_equal(fit.params[key][4], start[key])
    assert np.isnan(fit.history["data_loss"][1:, 4]).all() and np.isfinite(fit.history["data_loss"][0, 4])
    assert np.isfinite(fit.accuracy(split.X_train, split.Y_train)).all()
    alone, _ = _explorer_run(lambdas[:4])
    for key in alone.params:   # the others: bit for bit as if the diverging λ had not been there
        np.testing.assert_array_equal(fit.params[key][:4], alone.params[key])
    for key in ("data_loss", "penalty", "frobenius"):
        np.testing.assert_array_equal(fit.history[key][:, :4], alone.history[key])


def test_one_huge_lambd_does_not_take_the_batch_down():
    with pytest.warns(network.DivergenceWarning, match=r"λ = 1e\+06"):
        fit = network.train(X, Y, DIMS, lambd=[0.0, 1.0, 1e6], num_iterations=50, seed=3)
    np.testing.assert_array_equal(fit.diverged, [False, False, True])
    assert all(np.isfinite(value).all() for value in fit.params.values())
    single = fit[2]
    assert single.diverged and single.divergence.startswith("α·λ/m = 2.5e+03 ≥ 1")
    assert fit[0].divergence is None and not fit[0].diverged


@pytest.mark.parametrize("learning_rate", [100.0, 1e4])
def test_a_learning_rate_too_large_is_flagged(learning_rate):
    # ReLU at lr 100: the loss explodes past 10x its start (0.92 -> 19) and accuracy drops to chance
    Xs, Ys = data.load("moons", m=40, seed=0)
    with pytest.warns(network.DivergenceWarning, match=r"training diverged for λ = 0: see fit.divergence"):
        fit = network.train(Xs, Ys, DIMS, learning_rate=learning_rate, num_iterations=300, seed=0)
    assert fit.diverged
    assert re.fullmatch(r"the cost (grew to \S+|became non-finite) at iteration \d+ \(more than 10x its start\): "
                        r"lower the learning rate", fit.divergence)
    assert all(np.isfinite(value).all() for value in fit.params.values())


def test_the_exploding_rule_leaves_chaotic_but_bounded_training_alone():
    # notebook 01's continuation runs at λ = 0 and lr = 1 jump up to ~3x the cost they started from
    Xs, Ys = data.load("two regions", m=200, seed=8)
    split = data.train_dev_test_split(Xs, Ys, seed=8)
    params = network.initialize([2, 50, 20, 1], seed=8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(5):
            step = network.train(split.X_train, split.Y_train, params=params, learning_rate=1.0, num_iterations=100)
            assert not step.diverged
            params = step.params


def test_an_exploding_cost_stops_the_network_at_its_last_good_record():
    # a tanh net with a huge learning rate: the cost jumps above 10x its start between two records
    fit = None
    with pytest.warns(network.DivergenceWarning):
        fit = network.train(X, Y, DIMS, lambd=[0.0, 0.01], learning_rate=1e4, activation="tanh",
                            num_iterations=40, record_every=5, seed=0)
    assert fit.diverged.all()
    for k in range(2):
        message = fit.divergence[k]
        assert "grew to" in message or "non-finite" in message
        finite = np.isfinite(fit.history["data_loss"][:, k])
        first_nan = int(np.argmin(finite))   # stopped: NaN from the record where it stopped on
        assert finite[0] and first_nan > 0 and not finite[first_nan:].any()
    assert all(np.isfinite(value).all() for value in fit.params.values())


def test_a_good_run_is_not_flagged():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = network.train(X, Y, DIMS, lambd=[0.0, 0.1, 1.0], learning_rate=0.5, num_iterations=300, seed=0)
    assert not fit.diverged.any() and fit.divergence == (None, None, None)

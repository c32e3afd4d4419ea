"""The λ translator: every formula checked against the library's own behaviour.

scikit-learn is installed, so its two conversions are checked by running it: LogisticRegression
with C = sklearn_logistic_C(λ) must land on the same optimum as regcourse.logistic.fit at λ, and
one MLPClassifier gradient step with alpha = sklearn_mlp_alpha(λ) must equal one step of
regcourse.network with the L2 gradient. Keras and PyTorch are not installed here, so their
conversions are checked against their *documented* formulas written out in NumPy:
Keras' L2 regularizer adds l2 * sum(W**2) to the mean loss; PyTorch's SGD adds weight_decay * W to
the gradient of the mean loss before the step.
"""

import math
import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from _sklearn import l1_logistic_regression
from regcourse import conventions, data, logistic, network, penalties


@pytest.fixture(scope="module")
def moons():
    return data.make_moons(200, noise=0.25, seed=1)


# --- scikit-learn, run for real ------------------------------------------------------------------

@pytest.mark.parametrize("lambd", [0.3, 3.0, 30.0])
def test_logistic_regression_C_reaches_the_same_optimum(moons, lambd):
    X, Y = moons
    F = data.polynomial_features(X, 3)
    ours = logistic.fit(F, Y, lambd)
    sk = LogisticRegression(C=conventions.sklearn_logistic_C(lambd), solver="newton-cholesky",
                            tol=1e-12, max_iter=1000).fit(F.T, Y[0])
    np.testing.assert_allclose(sk.coef_.ravel(), ours.w.ravel(), atol=1e-9)
    assert sk.intercept_[0] == pytest.approx(ours.b, abs=1e-9)


def test_logistic_regression_C_also_translates_the_l1_penalty(moons):
    X, Y = moons
    F = data.polynomial_features(X, 3)
    lambd = 3.0
    ours = logistic.fit(F, Y, lambd, penalty="l1")
    sk = l1_logistic_regression(conventions.sklearn_logistic_C(lambd)).fit(F.T, Y[0])
    np.testing.assert_allclose(sk.coef_.ravel(), ours.w.ravel(), atol=1e-6)
    np.testing.assert_array_equal(sk.coef_.ravel() == 0, ours.w.ravel() == 0)


def test_lambda_zero_is_C_infinity_which_sklearn_reads_as_no_penalty(moons):
    X, Y = moons
    assert conventions.sklearn_logistic_C(0.0) == math.inf
    ours = logistic.fit(X, Y, 0.0)
    sk = LogisticRegression(C=conventions.sklearn_logistic_C(0.0), solver="newton-cholesky",
                            tol=1e-12).fit(X.T, Y[0])
    np.testing.assert_allclose(sk.coef_.ravel(), ours.w.ravel(), atol=1e-8)


def _mlp(alpha, batch_size, learning_rate, hidden):
    return MLPClassifier(hidden_layer_sizes=hidden, activation="relu", solver="sgd", alpha=alpha,
                         batch_size=batch_size, learning_rate="constant", learning_rate_init=learning_rate,
                         momentum=0.0, nesterovs_momentum=False, shuffle=False, max_iter=1)


def _load(mlp, params, X, Y):
    """Initialize the MLP with one partial_fit, then overwrite its weights with `params`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlp.partial_fit(X.T, Y[0].astype(int), classes=[0, 1])
    for l in range(network.num_layers(params)):
        mlp.coefs_[l][...] = params[f"W{l + 1}"].T      # scikit-learn stores W transposed
        mlp.intercepts_[l][...] = params[f"b{l + 1}"][:, 0]


@pytest.mark.parametrize("lambd", [0.0, 2.0, 50.0])
def test_mlp_alpha_gives_the_same_gradient_step_and_cost(moons, lambd):
    X, Y = moons
    m, learning_rate = X.shape[1], 0.1
    params = network.initialize([2, 5, 4, 1], seed=3)
    mlp = _mlp(conventions.sklearn_mlp_alpha(lambd), m, learning_rate, (5, 4))
    _load(mlp, params, X, Y)
    mlp.partial_fit(X.T, Y[0].astype(int))        # one full-batch step

    _, cache = network.forward(X, params)
    stepped = network.update(params, network.backward(Y, params, cache, lambd=lambd), learning_rate)
    for l in range(3):
        np.testing.assert_allclose(mlp.coefs_[l], stepped[f"W{l + 1}"].T, atol=1e-14)
        np.testing.assert_allclose(mlp.intercepts_[l], stepped[f"b{l + 1}"][:, 0], atol=1e-14)
    # the loss scikit-learn reports is that of the parameters before the step: the course's J
    assert mlp.loss_ == pytest.approx(network.cost(X, Y, params, lambd).total, rel=1e-12)


def test_mlp_alpha_with_mini_batches_is_lambda_b_over_m(moons):
    X, Y = moons
    m, b, learning_rate, lambd = X.shape[1], 50, 0.1, 20.0
    alpha = conventions.sklearn_mlp_alpha(lambd, m=m, batch_size=b)
    assert alpha == pytest.approx(lambd * b / m)
    params = network.initialize([2, 6, 1], seed=4)
    mlp = _mlp(alpha, b, learning_rate, (6,))
    _load(mlp, params, X, Y)
    mlp.partial_fit(X.T, Y[0].astype(int))        # one epoch: m / b = 4 steps, batches in order

    for start in range(0, m, b):   # the course's step on a batch: mean over the batch + (λ/m) W
        Xb, Yb = X[:, start:start + b], Y[:, start:start + b]
        _, cache = network.forward(Xb, params)
        grads = network.backward(Yb, params, cache, lambd=0.0)
        for l in (1, 2):
            grads[f"dW{l}"] = grads[f"dW{l}"] + penalties.l2_gradient(params[f"W{l}"], lambd, m)
        params = network.update(params, grads, learning_rate)
    for l in (1, 2):
        np.testing.assert_allclose(mlp.coefs_[l - 1], params[f"W{l}"].T, atol=1e-13)


# --- Keras and PyTorch: their documented formulas, written in NumPy -------------------------------

def _weights(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((5, 3)), rng.standard_normal((4, 5)), rng.standard_normal((1, 4))]


@pytest.mark.parametrize("lambd, m", [(0.7, 10), (0.01, 10_000), (5.0, 211)])
def test_keras_l2_gives_the_course_penalty(lambd, m):
    # Keras (not installed): regularizers.L2(l2)(W) = l2 * sum(square(W)), added per kernel to the loss
    weights = _weights()
    l2 = conventions.keras_l2(lambd, m)
    keras_penalty = sum(l2 * np.sum(np.square(W)) for W in weights)
    assert keras_penalty == pytest.approx(penalties.l2_penalty(weights, lambd, m), rel=1e-13)
    assert conventions.lambd_from_keras_l2(l2, m) == pytest.approx(lambd, rel=1e-13)


@pytest.mark.parametrize("lambd, m", [(0.7, 10), (0.01, 10_000), (5.0, 211)])
def test_torch_weight_decay_gives_the_course_l2_step(lambd, m):
    # PyTorch (not installed): SGD with weight_decay does g = grad + weight_decay * p; p = p - lr * g
    rng = np.random.default_rng(1)
    W, dW_bp, lr = rng.standard_normal((4, 3)), rng.standard_normal((4, 3)), 0.05
    wd = conventions.torch_weight_decay(lambd, m)
    torch_step = W - lr * (dW_bp + wd * W)
    course_step = network.weight_decay_update({"W1": W, "b1": np.zeros((4, 1))},
                                              {"dW1": dW_bp, "db1": np.zeros((4, 1))}, lr, lambd, m)["W1"]
    np.testing.assert_allclose(torch_step, course_step, rtol=1e-13, atol=1e-16)
    assert conventions.lambd_from_torch_weight_decay(wd, m) == pytest.approx(lambd, rel=1e-13)


# --- values, inverses, table, errors -----------------------------------------------------------

def test_worked_values():
    # λ = 0.01, m = 10 000: alpha 0.01, C 100, l2 0.01 / 20 000 = 5e-7, weight_decay 1e-6
    assert conventions.sklearn_mlp_alpha(0.01) == 0.01
    assert conventions.sklearn_logistic_C(0.01) == pytest.approx(100.0)
    assert conventions.keras_l2(0.01, 10_000) == pytest.approx(5e-7)
    assert conventions.torch_weight_decay(0.01, 10_000) == pytest.approx(1e-6)


@pytest.mark.parametrize("lambd", [0.0, 1e-3, 0.5, 7.0, 1e4])
def test_inverses_round_trip(lambd):
    m = 300
    assert conventions.lambd_from_sklearn_mlp_alpha(conventions.sklearn_mlp_alpha(lambd)) == lambd
    assert conventions.lambd_from_sklearn_mlp_alpha(
        conventions.sklearn_mlp_alpha(lambd, m=m, batch_size=64), m=m, batch_size=64) == pytest.approx(lambd)
    assert conventions.lambd_from_sklearn_logistic_C(conventions.sklearn_logistic_C(lambd)) == pytest.approx(lambd)
    assert conventions.lambd_from_keras_l2(conventions.keras_l2(lambd, m), m) == pytest.approx(lambd)
    assert conventions.lambd_from_torch_weight_decay(conventions.torch_weight_decay(lambd, m), m) == \
        pytest.approx(lambd)


def test_batch_larger_than_m_is_the_full_batch():
    assert conventions.sklearn_mlp_alpha(2.0, m=100, batch_size=500) == 2.0


def test_table_rows_and_text():
    rows = conventions.table(0.01, 10_000)
    assert [r.parameter for r in rows] == ["alpha", "C", "l2", "weight_decay"]
    assert [r.value for r in rows] == pytest.approx([0.01, 100.0, 5e-7, 1e-6])
    assert all(isinstance(r.value, float) for r in rows)
    text = conventions.format_table(0.01, 10_000)
    assert "5e-07" in text and "weight_decay = λ/m" in text
    assert "inf" in conventions.format_table(0.0, 10)


@pytest.mark.parametrize("call, match", [
    (lambda: conventions.keras_l2(-1.0, 10), "lambd must be >= 0, got -1"),
    (lambda: conventions.torch_weight_decay(0.1, 0), "m must be >= 1, got 0"),
    (lambda: conventions.torch_weight_decay(0.1, 2.5), "m must be an integer"),
    (lambda: conventions.sklearn_logistic_C(float("nan")), "lambd must be finite"),
    (lambda: conventions.lambd_from_sklearn_logistic_C(0.0), "C must be > 0, got 0"),
    (lambda: conventions.lambd_from_sklearn_logistic_C(-2), "C must be > 0, got -2"),
    (lambda: conventions.lambd_from_keras_l2(-1e-3, 10), "l2 must be >= 0"),
    (lambda: conventions.lambd_from_torch_weight_decay(1e-3, -5), "m must be >= 1"),
    (lambda: conventions.sklearn_mlp_alpha(1.0, batch_size=32), "needs m"),
    (lambda: conventions.sklearn_mlp_alpha(1.0, m=100, batch_size=0), "batch_size must be >= 1"),
    (lambda: conventions.table(0.1, "300"), "m must be an integer"),
    (lambda: conventions.keras_l2("0.1", 10), "lambd must be a number"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()

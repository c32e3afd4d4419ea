"""regcourse.logistic: gradients by finite differences, the true optimum, KKT for L1, scikit-learn agreement."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from _sklearn import l1_logistic_regression
from regcourse import data, gradcheck, logistic


def _features(m=200, degree=6, seed=3, standardize=False):
    X, Y = data.make_moons(m, noise=0.3, seed=seed)
    P = data.polynomial_features(X, degree)
    if standardize:
        P = (P - P.mean(axis=1, keepdims=True)) / P.std(axis=1, keepdims=True)
    return P, Y


P, Y = _features()
m = Y.shape[1]


def rel_diff(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


def max_gradient(fit, X, Y):
    dw, db = logistic.gradients(fit.w, fit.b, X, Y, fit.lambd, fit.penalty, fit.penalize_b)
    return max(np.abs(dw).max(), abs(db))


# --- hand-worked cases -----------------------------------------------------------------------------

def test_cost_hand_worked():
    X = np.array([[1.0, 0.0, 2.0, -1.0], [0.0, 1.0, 1.0, 1.0]])
    Yh = np.array([[1.0, 0.0, 1.0, 0.0]])
    w = np.array([[3.0], [-4.0]])
    # w = 0, b = 0: every yhat is 1/2, so the data loss is log 2 whatever the labels
    zero = logistic.cost(np.zeros((2, 1)), 0.0, X, Yh, lambd=2.0)
    assert zero.data_loss == pytest.approx(np.log(2), rel=1e-15) and zero.penalty == 0.0
    # L2: lambd / (2m) ||w||^2 = 2 / 8 * (9 + 16) = 6.25;  with b = 1 penalized: 2 / 8 * 26 = 6.5
    assert logistic.cost(w, 1.0, X, Yh, 2.0, "l2").penalty == pytest.approx(6.25, rel=1e-15)
    assert logistic.cost(w, 1.0, X, Yh, 2.0, "l2", penalize_b=True).penalty == pytest.approx(6.5, rel=1e-15)
    # L1: lambd / m ||w||_1 = 2 / 4 * (3 + 4) = 3.5;  with b = 1 penalized: 0.5 * 8 = 4
    assert logistic.cost(w, 1.0, X, Yh, 2.0, "l1").penalty == pytest.approx(3.5, rel=1e-15)
    assert logistic.cost(w, 1.0, X, Yh, 2.0, "l1", penalize_b=True).penalty == pytest.approx(4.0, rel=1e-15)
    # data loss against the textbook cross-entropy written out with logs
    c = logistic.cost(w, 1.0, X, Yh, 2.0)
    a = 1 / (1 + np.exp(-(w.T @ X + 1.0)))
    expected = -np.mean(Yh * np.log(a) + (1 - Yh) * np.log(1 - a))
    assert c.data_loss == pytest.approx(expected, rel=1e-12)
    assert c.total == c.data_loss + c.penalty


def test_predictions_hand_worked():
    # w = (1, 0), b = 0: yhat = sigmoid(x1); sigmoid(log 3) = 3 / (1 + 3) = 0.75, sigmoid(-log 3) = 0.25
    X = np.array([[np.log(3), -np.log(3), 0.0], [5.0, -5.0, 1.0]])
    w = np.array([[1.0], [0.0]])
    np.testing.assert_allclose(logistic.predict_proba(w, 0.0, X), [[0.75, 0.25, 0.5]], rtol=1e-15)
    np.testing.assert_array_equal(logistic.predict(w, 0.0, X), [[1.0, 0.0, 0.0]])  # 0.5 is not > 0.5


def test_cost_is_stable_for_huge_logits():
    X = np.array([[1000.0, -1000.0]])
    c = logistic.cost(np.array([[1.0]]), 0.0, X, np.array([[1.0, 0.0]]))
    assert np.isfinite(c.data_loss) and c.data_loss < 1e-300 + 1e-12


# --- gradients by finite differences ---------------------------------------------------------------

@pytest.mark.parametrize("penalty", ["l2", "l1"])
@pytest.mark.parametrize("penalize_b", [False, True])
def test_gradients_match_finite_differences(central_difference, penalty, penalize_b):
    Ps, Ys = _features(m=40, degree=3, seed=1)
    rng = np.random.default_rng(2)
    w = rng.standard_normal((Ps.shape[0], 1))
    b = 0.7
    assert np.abs(w).min() > 1e-3 and abs(b) > 1e-3  # away from the kink of |w| for L1
    lambd = 1.5

    def J(theta):
        return logistic.cost(theta[:-1].reshape(-1, 1), theta[-1], Ps, Ys, lambd, penalty, penalize_b).total

    dw, db = logistic.gradients(w, b, Ps, Ys, lambd, penalty, penalize_b)
    analytic = np.append(dw[:, 0], db)
    # an independent centred difference
    assert rel_diff(analytic, central_difference(J, np.append(w[:, 0], b))) < 1e-7
    # and the package's gradient checker
    params = {"w": w, "b": np.array([[b]])}
    f = lambda p: logistic.cost(p["w"], p["b"][0, 0], Ps, Ys, lambd, penalty, penalize_b).total  # noqa: E731
    assert gradcheck.gradient_check(f, params, {"dw": dw, "db": np.array([[db]])}) < 1e-7


def test_penalize_b_adds_exactly_the_b_term():
    w, b, lambd = np.ones((P.shape[0], 1)) * 0.1, -0.8, 3.0
    for penalty, term in [("l2", lambd / m * b), ("l1", lambd / m * np.sign(b))]:
        dw0, db0 = logistic.gradients(w, b, P, Y, lambd, penalty)
        dw1, db1 = logistic.gradients(w, b, P, Y, lambd, penalty, penalize_b=True)
        np.testing.assert_array_equal(dw0, dw1)
        assert db1 - db0 == pytest.approx(term, rel=1e-12)


# --- L2: the true optimum --------------------------------------------------------------------------

@pytest.mark.parametrize("lambd", [0.01, 1.0, 10.0])
@pytest.mark.parametrize("penalize_b", [False, True])
def test_l2_fit_reaches_zero_gradient(lambd, penalize_b):
    fit = logistic.fit(P, Y, lambd, "l2", penalize_b)
    assert fit.converged
    assert max_gradient(fit, P, Y) < 1e-8


@pytest.mark.parametrize("lambd", [0.1, 1.0, 10.0])
def test_l2_fit_agrees_with_scikit_learn(lambd):
    # sklearn minimizes C sum_i loss_i + 1/2 ||w||^2 (intercept unpenalized). Ours times m/lambd is
    # (1/lambd) sum_i loss_i + 1/2 ||w||^2, so C = 1/lambd. newton-cholesky solves it exactly;
    # lbfgs stops around 1e-6 on these badly scaled polynomial features, so it is not used here.
    fit = logistic.fit(P, Y, lambd)
    sk = LogisticRegression(C=1 / lambd, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(P.T, Y[0])
    np.testing.assert_allclose(fit.w[:, 0], sk.coef_[0], rtol=0, atol=1e-8)
    assert fit.b == pytest.approx(sk.intercept_[0], abs=1e-8)


def test_l2_fit_agrees_with_scikit_learn_lbfgs():
    # the quasi-Newton solver, run to a tiny tolerance, lands within ~1e-6 of the exact optimum here
    fit = logistic.fit(P, Y, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = LogisticRegression(C=1.0, solver="lbfgs", tol=1e-12, max_iter=100_000).fit(P.T, Y[0])
    np.testing.assert_allclose(fit.w[:, 0], sk.coef_[0], rtol=0, atol=1e-5)
    assert fit.b == pytest.approx(sk.intercept_[0], abs=1e-5)


def test_l2_gives_no_zeros():
    for lambd in [0.01, 1.0, 100.0]:
        assert np.count_nonzero(logistic.fit(P, Y, lambd).w == 0.0) == 0


def test_larger_lambd_gives_smaller_w_along_an_l2_path():
    fits = logistic.fit_path(P, Y, [1e-3, 0.01, 0.1, 1.0, 10.0, 100.0])
    assert all(f.converged for f in fits)
    norms = [np.linalg.norm(f.w) for f in fits]
    assert all(a > b for a, b in zip(norms, norms[1:]))


def test_fit_path_equals_separate_fits_in_the_given_order():
    lambdas = [1.0, 10.0, 0.3]  # deliberately unsorted
    for penalty in ["l2", "l1"]:
        path = logistic.fit_path(P, Y, lambdas, penalty)
        for lambd, fit in zip(lambdas, path):
            alone = logistic.fit(P, Y, lambd, penalty)
            assert fit.lambd == lambd and fit.penalty == penalty
            np.testing.assert_allclose(fit.w, alone.w, rtol=0, atol=1e-7)
            np.testing.assert_array_equal(fit.w == 0, alone.w == 0)


def test_warm_start_reaches_the_same_optimum():
    cold = logistic.fit(P, Y, 1.0)
    warm = logistic.fit(P, Y, 1.0, start=logistic.fit(P, Y, 5.0))
    np.testing.assert_allclose(warm.w, cold.w, rtol=0, atol=1e-9)


# --- lambd = 0 -------------------------------------------------------------------------------------

def test_lambd_zero_is_no_regularization():
    Ps, Ys = _features(m=100, degree=2, seed=4)  # few features: the unregularized optimum exists
    l2, l1 = logistic.fit(Ps, Ys, 0.0, "l2"), logistic.fit(Ps, Ys, 0.0, "l1")
    assert l2.converged and l1.converged
    np.testing.assert_allclose(l1.w, l2.w, rtol=0, atol=1e-9)
    assert l1.b == pytest.approx(l2.b, abs=1e-9)
    rng = np.random.default_rng(0)
    for penalty in ["l2", "l1"]:
        w = rng.standard_normal((Ps.shape[0], 1))
        c = logistic.cost(w, 0.3, Ps, Ys, 0.0, penalty, penalize_b=True)
        assert c.penalty == 0.0 and c.total == c.data_loss
        dw0, db0 = logistic.gradients(w, 0.3, Ps, Ys, 0.0, penalty, penalize_b=True)
        dw, db = logistic.gradients(w, 0.3, Ps, Ys, 0.0, "l2")
        np.testing.assert_array_equal(dw0, dw)
        assert db0 == db


# --- L1: exact zeros, optimality, scikit-learn -----------------------------------------------------

def _assert_l1_kkt(fit, X, Y, tol=1e-8):
    """Optimality of the L1 problem, with g the gradient of the data loss alone: where w_j = 0,
    |g_j| <= lambd/m; elsewhere g_j + lambd/m sign(w_j) = 0. b obeys the same rule when penalized,
    else its gradient is 0."""
    m = Y.shape[1]
    dw, db = logistic.gradients(fit.w, fit.b, X, Y, 0.0)
    theta, g = np.append(fit.w[:, 0], fit.b), np.append(dw[:, 0], db)
    t = np.full(theta.size, fit.lambd / m)
    t[-1] = t[-1] if fit.penalize_b else 0.0
    zero = (theta == 0.0) & (t > 0)
    assert np.all(np.abs(g[zero]) <= t[zero] + tol)
    assert np.all(np.abs(g[~zero] + t[~zero] * np.sign(theta[~zero])) < tol)


@pytest.mark.parametrize("lambd", [0.3, 1.0, 10.0])  # smaller lambd: FISTA needs many more steps
def test_l1_fit_is_optimal_with_exact_zeros(lambd):
    fit = logistic.fit(P, Y, lambd, "l1")
    assert fit.converged
    assert np.count_nonzero(fit.w == 0.0) > 0
    _assert_l1_kkt(fit, P, Y)


def test_l1_zero_count_grows_with_lambd():
    lambdas = [0.3, 1.0, 3.0, 10.0, 100.0]
    zeros = [np.count_nonzero(f.w == 0.0) for f in logistic.fit_path(P, Y, lambdas, "l1")]
    assert all(a <= b for a, b in zip(zeros, zeros[1:])) and zeros[-1] > zeros[0]


def test_l1_all_weights_zero_exactly_above_lambd_max():
    # At w = 0 with b optimal (b = logit of the mean label), w = 0 is optimal iff
    # lambd / m >= max_j |dJ_data/dw_j|. So lambd_max = m * that maximum.
    p = Y.mean()
    dw, _ = logistic.gradients(np.zeros((P.shape[0], 1)), np.log(p / (1 - p)), P, Y)
    lambd_max = m * np.abs(dw).max()
    above, below = logistic.fit(P, Y, 1.01 * lambd_max, "l1"), logistic.fit(P, Y, 0.9 * lambd_max, "l1")
    assert np.count_nonzero(above.w) == 0
    assert above.b == pytest.approx(np.log(p / (1 - p)), abs=1e-9)
    assert 0 < np.count_nonzero(below.w) < P.shape[0]


@pytest.mark.parametrize("lambd", [1.0, 5.0])
def test_l1_with_penalized_b_is_optimal(lambd):
    fit = logistic.fit(P, Y, lambd, "l1", penalize_b=True)
    assert fit.converged
    _assert_l1_kkt(fit, P, Y)



@pytest.mark.parametrize("lambd", [1.0, 10.0])
def test_l1_fit_agrees_with_scikit_learn_saga(lambd):
    # Ours times m/lambd: (1/lambd) sum_i loss_i + ||w||_1; sklearn: C sum_i loss_i + ||w||_1, so C = 1/lambd.
    # saga leaves the intercept unpenalized (liblinear would penalize it). Standardized features keep
    # saga's convergence fast enough to be exact.
    Ps, Ys = _features(m=200, degree=3, standardize=True)
    fit = logistic.fit(Ps, Ys, lambd, "l1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = l1_logistic_regression(1 / lambd).fit(Ps.T, Ys[0])
    np.testing.assert_allclose(fit.w[:, 0], sk.coef_[0], rtol=0, atol=1e-6)
    assert fit.b == pytest.approx(sk.intercept_[0], abs=1e-6)
    np.testing.assert_array_equal(fit.w[:, 0] == 0.0, sk.coef_[0] == 0.0)  # the same features dropped


# --- the fitted model ------------------------------------------------------------------------------

def test_logistic_fit_methods_use_its_parameters():
    fit = logistic.fit(P, Y, 1.0)
    np.testing.assert_array_equal(fit.predict_proba(P), logistic.predict_proba(fit.w, fit.b, P))
    np.testing.assert_array_equal(fit.predict(P), (fit.predict_proba(P) > 0.5).astype(float))
    assert fit.accuracy(P, Y) == np.mean(fit.predict(P) == Y)
    assert fit.accuracy(P, Y) > 0.8
    assert fit.cost(P, Y) == logistic.cost(fit.w, fit.b, P, Y, 1.0)
    assert fit.w.shape == (27, 1) and isinstance(fit.b, float)


def test_regularization_trades_training_fit_for_simplicity():
    small, large = logistic.fit(P, Y, 1e-3), logistic.fit(P, Y, 100.0)
    assert small.cost(P, Y).data_loss < large.cost(P, Y).data_loss
    assert np.linalg.norm(small.w) > 10 * np.linalg.norm(large.w)

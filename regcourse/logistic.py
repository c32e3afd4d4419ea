"""Regularized logistic regression: cost, gradients, training to the optimum, predictions.

w is (n_x, 1), b is a number, X is (n_x, m), Y is (1, m).

    J(w, b) = (1/m) sum_i L(yhat_i, y_i) + (lambd / 2m) ||w||_2^2          (L2; ||w||_2^2 = w^T w)
    J(w, b) = (1/m) sum_i L(yhat_i, y_i) + (lambd / m)  ||w||_1            (L1)

with yhat = sigmoid(w^T x + b) and L the cross-entropy loss. With ``penalize_b=True`` the penalty
also counts b (b^2 or |b|), which the course shows makes almost no difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v
from .network import Cost, cross_entropy, sigmoid
from .penalties import KINDS, PENALTY_GRADIENTS, PENALTY_TERMS, l1_subgradient, l2_gradient, soft_threshold


def _wbX(w, b, X):
    w = v.as_matrix("w", w, cols=1, hint=" — w must be a column (n_x, 1)")
    return {"w": w, "b": v.scalar("b", b), "X": v.examples_as_columns(X, n_x=w.shape[0])}


def _wbXY(w, b, X, Y, lambd, penalty, penalize_b):
    args = _wbX(w, b, X)
    args["X"], args["Y"] = v.examples_as_columns(args["X"], Y, n_x=args["w"].shape[0])
    return {**args, "lambd": v.lambd(lambd), "penalty": v.choice("penalty", penalty, KINDS),
            "penalize_b": v.flag("penalize_b", penalize_b)}


@v.checked(_wbX)
def predict_proba(w, b, X) -> np.ndarray:
    """yhat = sigmoid(w^T X + b), shape (1, m)."""
    return sigmoid.unchecked(w.T @ X + b)


@v.checked(_wbX)
def predict(w, b, X) -> np.ndarray:
    """Labels 0/1: 1 where yhat > 0.5."""
    return (predict_proba.unchecked(w, b, X) > 0.5).astype(float)


@v.checked(_wbXY)
def cost(w, b, X, Y, lambd=0.0, penalty: str = "l2", penalize_b: bool = False) -> Cost:
    """J(w, b) = data loss + penalty term (see the module docstring); `penalty` is "l2" or "l1"."""
    m = Y.shape[1]
    data_loss = cross_entropy.unchecked(w.T @ X + b, Y)
    penalized = [w, np.array([[b]])] if penalize_b else [w]
    penalty_term = PENALTY_TERMS[penalty].unchecked(penalized, lambd, m)
    return Cost(data_loss, penalty_term, data_loss + penalty_term)


@v.checked(_wbXY)
def gradients(w, b, X, Y, lambd=0.0, penalty: str = "l2", penalize_b: bool = False):
    """(dw, db): dw = (1/m) X (A - Y)^T + (lambd/m) w for L2, + (lambd/m) sign(w) for L1;
    db = (1/m) sum (A - Y), plus the same penalty term in b when `penalize_b`.
    """
    m = Y.shape[1]
    dZ = sigmoid.unchecked(w.T @ X + b) - Y
    penalty_gradient = PENALTY_GRADIENTS[penalty].unchecked
    dw = X @ dZ.T / m + penalty_gradient(w, lambd, m)
    db = float(dZ.mean()) + (float(penalty_gradient(b, lambd, m)) if penalize_b else 0.0)
    return dw, db


@dataclass
class LogisticFit:
    """A trained model: w (n_x, 1), b, and how the optimization ended."""

    w: np.ndarray
    b: float
    lambd: float
    penalty: str
    penalize_b: bool
    converged: bool
    n_iter: int

    def predict_proba(self, X) -> np.ndarray:
        return predict_proba(self.w, self.b, X)

    def predict(self, X) -> np.ndarray:
        return predict(self.w, self.b, X)

    def accuracy(self, X, Y) -> float:
        X, Y = v.examples_as_columns(X, Y, n_x=self.w.shape[0])
        return float(np.mean(self.predict(X) == Y))

    def cost(self, X, Y) -> Cost:
        return cost(self.w, self.b, X, Y, self.lambd, self.penalty, self.penalize_b)


MAX_ENTRY = 1e100   # larger features overflow X X^T in the solvers: standardize them first


def _fit_args(X, Y, lambd, penalty, penalize_b, tol, max_iter, start):
    X, Y = v.examples_as_columns(X, Y)
    if np.abs(X).max() > MAX_ENTRY:
        raise ValueError(f"X must have entries at most {MAX_ENTRY:g} in size (the solvers square them), got "
                         f"{np.abs(X).max():.3g}: standardize the features")
    penalty = v.choice("penalty", penalty, KINDS)
    lambd, penalize_b = v.lambd(lambd), v.flag("penalize_b", penalize_b)
    if start is not None and not isinstance(start, LogisticFit):
        raise TypeError(f"start must be a LogisticFit (what fit returns) or None, got {type(start).__name__}")
    if start is not None and start.w.shape[0] != X.shape[0]:
        raise ValueError(f"start must have w of shape ({X.shape[0]}, 1), got {start.w.shape}")
    if max_iter is None:
        max_iter = 100 if _solver(penalty, lambd, penalize_b) is _newton else 50_000
    return {"X": X, "Y": Y, "lambd": lambd, "penalty": penalty, "penalize_b": penalize_b,
            "tol": v.positive("tol", tol), "max_iter": v.integer("max_iter", max_iter, minimum=1,
                                                                 maximum=v.MAX_ITERATIONS), "start": start}


def _solver(penalty, lambd, penalize_b):
    # With lambd = 0 (and no penalty on b) both penalties vanish: the smooth problem takes Newton.
    return _newton if penalty == "l2" or (lambd == 0 and not penalize_b) else _fista


@v.checked(_fit_args)
def fit(X, Y, lambd=0.0, penalty: str = "l2", penalize_b: bool = False, *, tol: float = 1e-10,
        max_iter: int | None = None, start: LogisticFit | None = None) -> LogisticFit:
    """Minimize J(w, b) to its optimum, not for "some iterations"; returns a LogisticFit.

    L2: Newton's method with a backtracking line search, stopped when every entry of the gradient
    is below `tol` (the cost is strictly convex for lambd > 0, so this is the unique minimum).
    L1: proximal gradient with momentum (FISTA): a gradient step on the data loss, then
    `soft_threshold` of w, which makes weights exactly 0; stopped when the proximal-gradient step
    is below `tol`. `converged` says whether the tolerance was reached (with lambd = 0 on
    separable data no finite optimum exists).
    """
    theta = np.zeros(X.shape[0] + 1) if start is None else np.append(start.w[:, 0], start.b)
    solve = _solver(penalty, lambd, penalize_b)
    theta, converged, n_iter = solve(X, Y, lambd, penalize_b, theta, tol, max_iter)
    return LogisticFit(theta[:-1].reshape(-1, 1), float(theta[-1]), lambd, penalty, penalize_b,
                       converged, n_iter)


def fit_path(X, Y, lambdas, penalty: str = "l2", penalize_b: bool = False, **options) -> list[LogisticFit]:
    """`fit` for every lambd in `lambdas`, each warm-started from its larger neighbour's optimum.

    Returns the fits in the order of `lambdas`.
    """
    lambdas = v.lambd_grid(lambdas, name="lambdas")
    if lambdas.ndim == 0:
        lambdas = lambdas.reshape(1)
    fits: dict[int, LogisticFit] = {}
    previous = None
    for k in np.argsort(-lambdas, kind="stable"):
        previous = fits[k] = fit(X, Y, float(lambdas[k]), penalty, penalize_b, start=previous, **options)
    return [fits[k] for k in range(len(lambdas))]


# --- solvers on theta = [w; b] ---------------------------------------------------------------------

def _penalty_mask(n_x, penalize_b):
    mask = np.ones(n_x + 1)
    mask[-1] = 1.0 if penalize_b else 0.0
    return mask


def _newton(X, Y, lambd, penalize_b, theta, tol, max_iter):
    m = Y.shape[1]
    Xt = np.vstack([X, np.ones((1, m))])  # the bias as a feature that is always 1
    y = Y[0]
    mask = _penalty_mask(X.shape[0], penalize_b)
    reg = l2_gradient.unchecked(mask, lambd, m)   # lambd/m for every penalized entry, 0 for b

    def objective(t):
        z = t @ Xt
        return np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(reg * t * t)   # the L2 term (lambd/2m) ||w||^2

    J = objective(theta)
    for n_iter in range(1, max_iter + 1):
        a = sigmoid.unchecked(theta @ Xt)
        grad = Xt @ (a - y) / m + l2_gradient.unchecked(mask * theta, lambd, m)
        if np.max(np.abs(grad)) < tol:
            return theta, True, n_iter - 1
        H = (Xt * (a * (1 - a))) @ Xt.T / m + np.diag(reg)
        if not np.all(np.isfinite(H)):   # the features are too large for a Newton step
            break
        step = np.linalg.lstsq(H, grad, rcond=None)[0]
        t = 1.0
        while True:  # backtracking: accept the step once it lowers J enough
            candidate = theta - t * step
            J_new = objective(candidate)
            if J_new <= J - 1e-4 * t * (grad @ step) or t < 1e-10:
                break
            t *= 0.5
        theta, J = candidate, J_new
    a = sigmoid.unchecked(theta @ Xt)
    grad = Xt @ (a - y) / m + l2_gradient.unchecked(mask * theta, lambd, m)
    return theta, bool(np.max(np.abs(grad)) < tol), max_iter


def _fista(X, Y, lambd, penalize_b, theta, tol, max_iter):
    m = Y.shape[1]
    Xt = np.vstack([X, np.ones((1, m))])
    y = Y[0]
    threshold_mask = l1_subgradient.unchecked(_penalty_mask(X.shape[0], penalize_b), lambd, m)   # lambd/m, 0 for b
    # Work in scaled coordinates u_j = s_j theta_j with features Xt_j / s_j (s_j = RMS of row j):
    # the same problem (|theta_j| = |u_j| / s_j, so the threshold of u_j is divided by s_j), but
    # far better conditioned when features differ in scale, as high polynomial degrees do.
    s = np.sqrt(np.mean(Xt * Xt, axis=1))
    s[s == 0] = 1.0
    Xs = Xt / s[:, None]
    step = 1.0 / (np.linalg.norm(Xs, 2) ** 2 / (4 * m))  # 1 / Lipschitz constant of the data loss
    thresholds = step * threshold_mask / s

    def prox_step(u):
        grad = Xs @ (sigmoid.unchecked(u @ Xs) - y) / m
        return soft_threshold.unchecked(u - step * grad, thresholds)

    u = theta * s
    momentum_point, k_momentum = u.copy(), 1.0
    for n_iter in range(1, max_iter + 1):
        new = prox_step(momentum_point)
        if np.max(np.abs(new - momentum_point)) / step < tol:
            return new / s, True, n_iter
        if n_iter % 25 == 0:  # once the zero pattern has settled, Newton finishes the job
            polished = _polish(Xt, y, new / s, threshold_mask, tol)
            if polished is not None:
                return polished, True, n_iter
        k_next = (1 + np.sqrt(1 + 4 * k_momentum ** 2)) / 2
        if (momentum_point - new) @ (new - u) > 0:  # restart the momentum when it overshoots
            k_next, momentum_point = 1.0, new.copy()
        else:
            momentum_point = new + (k_momentum - 1) / k_next * (new - u)
        u, k_momentum = new, k_next
    return u / s, False, max_iter


def _polish(Xt, y, theta, threshold_mask, tol, max_steps=200):
    """Finish an L1 fit with Newton steps on the nonzero weights (an active-set method).

    On the current support the cost is smooth once the signs are fixed, so Newton converges fast;
    a weight whose step would cross zero is set to exactly 0 and leaves the support (a projection
    onto the orthant), and a zero weight whose |gradient| exceeds lambd/m joins it with the sign
    that lowers the cost. Returns the weights once they pass the optimality (KKT) test of the L1
    problem — grad + (lambd/m) sign(w) = 0 on the support, |grad| <= lambd/m off it — else None.
    """
    m = y.size
    free = threshold_mask == 0
    t, signs = theta.copy(), np.sign(theta)

    def objective(u):
        z = u @ Xt
        return np.mean(np.logaddexp(0.0, z) - y * z) + threshold_mask @ np.abs(u)

    J = objective(t)
    for _ in range(max_steps):
        a = sigmoid.unchecked(t @ Xt)
        g = Xt @ (a - y) / m
        support = (signs != 0) | free
        on = np.abs(g + threshold_mask * signs)[support]   # threshold_mask * signs: L1's subgradient
        off = np.where(support, -np.inf, np.abs(g) - threshold_mask)
        if on.max() < tol and off.max() < tol:
            return t
        if off.max() >= max(tol, on.max()):  # a zero weight wants to move: let the worst one in
            j = int(np.argmax(off))
            signs[j] = -np.sign(g[j])
            continue
        H = (Xt[support] * (a * (1 - a))) @ Xt[support].T / m
        direction = np.zeros_like(t)
        direction[support] = -np.linalg.lstsq(H, (g + threshold_mask * signs)[support], rcond=None)[0]
        step = 1.0
        while step > 1e-10:
            candidate = t + step * direction
            crossed = ~free & (np.sign(candidate) != signs)
            candidate[crossed] = 0.0
            J_new = objective(candidate)
            if J_new <= J:
                break
            step *= 0.5
        else:
            return None
        t, J = candidate, J_new
        signs = np.where(free, np.sign(t), np.where(crossed, 0.0, signs))
    return None

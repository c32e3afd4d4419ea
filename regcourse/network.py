"""An L-layer neural network in NumPy with L2 or L1 regularization.

Shapes follow the course's notation: X is (n_x, m), examples are columns; W[l] is (n[l], n[l-1]),
b[l] is (n[l], 1), A[l] and Z[l] are (n[l], m). Hidden layers use ReLU or tanh, the output layer a
sigmoid. Parameters live in a dict ``{"W1": ..., "b1": ..., ..., "WL": ..., "bL": ...}``.

Training can run **batched over K values of lambd at once**: pass ``lambd`` as a 1-D array and
every parameter gets a leading axis of length K (W[l] becomes (K, n[l], n[l-1])). The same
formulas below serve both cases because ``@`` broadcasts over leading axes; ``.mT`` is the
transpose of the last two axes (plain ``.T`` for a single matrix).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import _validate as v
from .penalties import _shrink, frobenius_norm_sq

ACTIVATIONS = ("relu", "tanh")
PENALTIES = ("l2", "l1")


class Cost(NamedTuple):
    """The cost split into its two parts: J = data_loss + penalty."""

    data_loss: float | np.ndarray
    penalty: float | np.ndarray
    total: float | np.ndarray


# --- activations: g(Z) and g'(Z) side by side -------------------------------------------------

def relu(Z):
    return np.maximum(Z, 0.0)


def relu_derivative(Z):
    return (Z > 0).astype(float)


def tanh_derivative(Z):
    return 1.0 - np.tanh(Z) ** 2


def sigmoid(Z):
    return 0.5 * (1.0 + np.tanh(0.5 * Z))  # = 1 / (1 + exp(-Z)), without overflow warnings


_G = {"relu": (relu, relu_derivative), "tanh": (np.tanh, tanh_derivative)}

# Backprop reads g'(Z) off the cached A = g(Z), which saves recomputing tanh:
# relu'(Z) = 1 where A > 0 (else 0), tanh'(Z) = 1 - A^2. Same numbers as the functions above.
_G_PRIME_FROM_A = {"relu": lambda A: A > 0, "tanh": lambda A: 1.0 - A * A}


# --- parameters --------------------------------------------------------------------------------

def initialize(layer_dims, activation: str = "relu", seed=0) -> dict[str, np.ndarray]:
    """Random W[l] of shape (n[l], n[l-1]) and zero b[l], from `seed` (an int or a Generator).

    Scale: He, sqrt(2 / n[l-1]), for ReLU; sqrt(1 / n[l-1]) for tanh. layer_dims = [n_x, n[1], ..., 1].
    """
    layer_dims = _layer_dims(layer_dims)
    v.choice("activation", activation, ACTIVATIONS)
    rng = v.rng(seed)
    gain = 2.0 if activation == "relu" else 1.0
    params = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(gain / n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


def num_layers(params) -> int:
    """L, the number of layers with weights."""
    return len(params) // 2


def layer_dims_of(params) -> list[int]:
    """[n_x, n[1], ..., n[L]] read off the weight shapes."""
    L = num_layers(params)
    return [params["W1"].shape[-1]] + [params[f"W{l}"].shape[-2] for l in range(1, L + 1)]


# --- forward, cost, backward -------------------------------------------------------------------

def forward(X, params, activation: str = "relu"):
    """Forward propagation: Z[l] = W[l] A[l-1] + b[l], A[l] = g(Z[l]); the output uses a sigmoid.

    Returns (AL, cache) with cache = {"A0": X, "Z1": ..., "A1": ..., "ZL": ..., "AL": ...}.
    """
    params = _params(params)
    X = v.examples_as_columns(X, n_x=layer_dims_of(params)[0])
    v.choice("activation", activation, ACTIVATIONS)
    return _forward(X, params, activation)


def _forward(X, params, activation):
    g = _G[activation][0]
    L = num_layers(params)
    cache = {"A0": X}
    A = X
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ A
        Z += params[f"b{l}"]  # Z = W A + b, adding b in place (one pass fewer over a (K, n, m) batch)
        A = sigmoid(Z) if l == L else g(Z)
        cache[f"Z{l}"], cache[f"A{l}"] = Z, A
    return A, cache


def cost(X, Y, params, lambd=0.0, penalty: str = "l2", activation: str = "relu") -> Cost:
    """J = (1/m) sum_i L(yhat_i, y_i) + penalty, with the L2 term (lambd/2m) sum_l ||W[l]||_F^2
    or the L1 term (lambd/m) sum_l sum |W[l]_ij|. L is the cross-entropy loss.
    """
    params = _params(params)
    X, Y = v.examples_as_columns(X, Y, n_x=layer_dims_of(params)[0])
    lambd = v.lambd(lambd)
    v.choice("penalty", penalty, PENALTIES)
    v.choice("activation", activation, ACTIVATIONS)
    _, cache = _forward(X, params, activation)
    return _cost(cache, Y, params, lambd, penalty)


def _cost(cache, Y, params, lambd, penalty):
    L, m = num_layers(params), Y.shape[-1]
    ZL = cache[f"Z{L}"]
    # cross-entropy from the logits: -[y log s(z) + (1-y) log(1-s(z))] = log(1 + e^z) - y z
    data = np.mean(np.logaddexp(0.0, ZL) - Y * ZL, axis=-1)[..., 0]
    pen = _penalty(params, np.squeeze(lambd), m, penalty)
    return Cost(data, pen, data + pen)


def _penalty(params, lambd, m, penalty):
    weights = [params[f"W{l}"] for l in range(1, num_layers(params) + 1)]
    if penalty == "l2":
        return lambd / (2 * m) * sum(frobenius_norm_sq(W) for W in weights)
    return lambd / m * sum(np.abs(W).sum(axis=(-2, -1)) for W in weights)


def backward(Y, params, cache, lambd=0.0, penalty: str = "l2", activation: str = "relu"):
    """Backpropagation of the regularized cost; returns {"dW1": ..., "db1": ..., ...}.

    dZ[L] = A[L] - Y; dW[l] = (1/m) dZ[l] A[l-1]^T + (lambd/m) W[l] (L2) or + (lambd/m) sign(W[l])
    (L1, a subgradient: |w| has no derivative at 0); db[l] = (1/m) sum_i dZ[l];
    dZ[l-1] = W[l]^T dZ[l] * g'(Z[l-1]).
    """
    params = _params(params)
    L = num_layers(params)
    Y = v.as_matrix("Y", Y, rows=1, hint=" — Y must be (1, m)")
    if not isinstance(cache, dict):
        raise TypeError(f"cache must be the dict returned by forward(), got {type(cache).__name__}")
    if f"A{L}" not in cache or cache[f"A{L}"].shape[-1] != Y.shape[-1]:
        raise ValueError(f"cache must come from forward() on the same m = {Y.shape[-1]} examples as Y")
    lambd = v.lambd(lambd)
    v.choice("penalty", penalty, PENALTIES)
    v.choice("activation", activation, ACTIVATIONS)
    return _backward(Y, params, cache, lambd, penalty, activation)


def _backward(Y, params, cache, lambd, penalty, activation):
    g_prime = _G_PRIME_FROM_A[activation]
    L, m = num_layers(params), Y.shape[-1]
    grads = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        W, A_prev = params[f"W{l}"], cache[f"A{l - 1}"]
        grads[f"dW{l}"] = dZ @ A_prev.mT / m + _penalty_gradient(W, lambd, m, penalty)
        grads[f"db{l}"] = dZ.sum(axis=-1, keepdims=True) / m
        if l > 1:
            dZ = W.mT @ dZ
            dZ *= g_prime(A_prev)  # dZ[l-1] = W[l]^T dZ[l] * g'(Z[l-1]), in place
    return grads


def _penalty_gradient(W, lambd, m, penalty):
    if penalty == "l2":
        return lambd / m * W
    return lambd / m * np.sign(W)


# --- updates: the two forms of an L2 step --------------------------------------------------------

def update(params, grads, learning_rate: float) -> dict[str, np.ndarray]:
    """Gradient form: W[l] := W[l] - alpha dW[l], b[l] := b[l] - alpha db[l] (dW includes the penalty)."""
    params, alpha = _params(params), v.positive("learning_rate", learning_rate)
    grads = _grads("grads", grads, params)
    return {key: value - alpha * grads["d" + key] for key, value in params.items()}


def weight_decay_update(params, grads_backprop, learning_rate: float, lambd: float, m: int):
    """Weight-decay form of the same L2 step: W[l] := (1 - alpha lambd / m) W[l] - alpha dW_backprop[l].

    `grads_backprop` are the gradients of the data loss alone (lambd = 0 in backward).
    """
    params, alpha = _params(params), v.positive("learning_rate", learning_rate)
    lambd, m = v.lambd(lambd), v.integer("m", m, minimum=1)
    grads_backprop = _grads("grads_backprop", grads_backprop, params)
    decay = 1.0 - alpha * lambd / m
    return {key: (decay * value if key.startswith("W") else value) - alpha * grads_backprop["d" + key]
            for key, value in params.items()}


# --- training ------------------------------------------------------------------------------------

@dataclass
class Fit:
    """The outcome of `train`: final parameters and the recorded history.

    When trained batched over K values of lambd, every array in `params` and `history` carries an
    axis of length K (after the record axis in `history`), and ``fit[k]`` is the run for lambd[k].
    """

    params: dict[str, np.ndarray]
    lambd: float | np.ndarray
    penalty: str
    activation: str
    learning_rate: float
    num_iterations: int
    history: dict[str, np.ndarray] = field(repr=False)

    @property
    def batched(self) -> bool:
        return np.ndim(self.lambd) == 1

    def __len__(self) -> int:
        return len(self.lambd) if self.batched else 1

    def __getitem__(self, k: int) -> Fit:
        if not self.batched:
            raise TypeError("this Fit holds a single lambd; only batched fits can be indexed")
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not -len(self) <= k < len(self):
            raise IndexError(f"k must be an integer index into the {len(self)} lambd values, got {k!r}")
        k = range(len(self))[k]
        history = {key: (value if key == "iteration" else value[:, k]) for key, value in self.history.items()}
        return Fit({key: value[k] for key, value in self.params.items()}, float(self.lambd[k]),
                   self.penalty, self.activation, self.learning_rate, self.num_iterations, history)

    def forward(self, X):
        """(AL, cache) on X; batched fits give arrays with a leading K axis."""
        X = v.examples_as_columns(X, n_x=layer_dims_of(self.params)[0])
        return _forward(X, self.params, self.activation)

    def predict_proba(self, X) -> np.ndarray:
        """P(y = 1 | x) for each column of X: (1, m), or (K, 1, m) when batched."""
        return self.forward(X)[0]

    def predict(self, X) -> np.ndarray:
        """Labels 0/1: 1 where P(y = 1 | x) > 0.5."""
        return (self.predict_proba(X) > 0.5).astype(float)

    def accuracy(self, X, Y) -> float | np.ndarray:
        """Fraction of examples labelled correctly (one value per lambd when batched)."""
        X, Y = v.examples_as_columns(X, Y, n_x=layer_dims_of(self.params)[0])
        acc = np.mean(self.predict(X) == Y, axis=-1)[..., 0]
        return float(acc) if acc.ndim == 0 else acc

    def cost(self, X, Y) -> Cost:
        """Data loss, penalty and total cost of the final parameters on (X, Y)."""
        X, Y = v.examples_as_columns(X, Y, n_x=layer_dims_of(self.params)[0])
        lam = np.asarray(self.lambd).reshape(-1, 1, 1) if self.batched else self.lambd
        _, cache = _forward(X, self.params, self.activation)
        return Cost(*(float(c) if np.ndim(c) == 0 else c
                      for c in _cost(cache, Y, self.params, lam, self.penalty)))

    def sum_frobenius_sq(self) -> float | np.ndarray:
        """sum_l ||W[l]||_F^2 of the final parameters."""
        total = sum(frobenius_norm_sq(self.params[f"W{l}"]) for l in range(1, num_layers(self.params) + 1))
        return float(total) if np.ndim(total) == 0 else total


def train(X, Y, layer_dims=None, *, params=None, lambd=0.0, penalty: str = "l2",
          activation: str = "relu", learning_rate: float = 0.5, num_iterations: int = 2000,
          seed=0, record_every: int = 10,
          callback: Callable[[int, int], None] | None = None) -> Fit:
    """Full-batch gradient descent on the regularized cost.

    Start from `params` when given (copied, so a published run can be reproduced exactly), else
    from ``initialize(layer_dims, activation, seed)``. Each iteration:

    * L2: W[l] := W[l] - alpha (dW_backprop[l] + (lambd/m) W[l])
    * L1: W[l] := soft_threshold(W[l] - alpha dW_backprop[l], alpha lambd / m), the proximal step,
      which sets small weights to exactly 0.

    `lambd` may be a 1-D array of K values: the K networks start from the same parameters and
    train in one vectorized pass. History (every `record_every` iterations and at the end):
    "iteration", "data_loss", "penalty" and "frobenius" (||W[l]||_F per layer).
    `callback(done, total)` is called every `record_every` iterations (e.g. for a progress bar).
    """
    v.choice("penalty", penalty, PENALTIES)
    v.choice("activation", activation, ACTIVATIONS)
    alpha = v.positive("learning_rate", learning_rate)
    num_iterations = v.integer("num_iterations", num_iterations, minimum=0)
    record_every = v.integer("record_every", record_every, minimum=1)
    lambd = v.lambd_grid(lambd)
    if params is None:
        if layer_dims is None:
            raise TypeError("train needs layer_dims (e.g. [2, 20, 3, 1]) or params, got neither")
        params = initialize(layer_dims, activation, seed)
    elif layer_dims is not None and list(layer_dims) != layer_dims_of(_params(params)):
        raise ValueError(f"layer_dims {list(layer_dims)} disagree with params' shapes {layer_dims_of(params)}")
    params = _params(params)
    if params["W1"].ndim != 2:
        raise ValueError(f"params must hold one network to start from (W1 of shape (n[1], n[0])), got W1 of "
                         f"shape {params['W1'].shape} — a batched run starts all lambd values from the same params")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function callback(done, total) or None, got {type(callback).__name__}")
    X, Y = v.examples_as_columns(X, Y, n_x=layer_dims_of(params)[0])

    batched = lambd.ndim == 1
    if not batched:
        params = {key: value.copy() for key, value in params.items()}
        params, history = _descend(X, Y, params, float(lambd), penalty, activation, alpha,
                                   num_iterations, record_every, callback)
        return Fit(params, float(lambd), penalty, activation, alpha, num_iterations, history)

    # Batched: K copies of the same start, lambd shaped (K, 1, 1) to broadcast against W (K, n, n_prev).
    # The K runs never interact, so they are split into chunks that run on separate cores.
    chunks = np.array_split(np.arange(len(lambd)), min(_workers(), max(1, len(lambd) // 8)))

    def run(idx, report):
        start = {key: np.repeat(value[None], len(idx), axis=0) for key, value in params.items()}
        return _descend(X, Y, start, lambd[idx].reshape(-1, 1, 1), penalty, activation, alpha,
                        num_iterations, record_every, report)

    if len(chunks) == 1:
        results = [run(chunks[0], callback)]
    else:
        with ThreadPoolExecutor(len(chunks)) as pool:
            futures = [pool.submit(run, idx, callback if c == 0 else None) for c, idx in enumerate(chunks)]
            results = [f.result() for f in futures]
    params = {key: np.concatenate([r[0][key] for r in results]) for key in params}
    history = {key: (results[0][1][key] if key == "iteration"
                     else np.concatenate([r[1][key] for r in results], axis=1))
               for key in results[0][1]}
    return Fit(params, lambd, penalty, activation, alpha, num_iterations, history)


def _workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _descend(X, Y, params, lam, penalty, activation, alpha, num_iterations, record_every, callback):
    """The gradient-descent loop itself, on `params` in place; returns (params, history)."""
    m, L = Y.shape[1], num_layers(params)
    grad_lambd = lam if penalty == "l2" else 0.0  # L1 goes through the proximal step instead
    threshold = alpha * lam / m
    records: dict[str, list] = {"iteration": [], "data_loss": [], "penalty": [], "frobenius": []}

    def record(i, cache):
        data, pen, _ = _cost(cache, Y, params, lam, penalty)
        records["iteration"].append(i)
        records["data_loss"].append(data)
        records["penalty"].append(pen)
        norms = [np.sqrt(frobenius_norm_sq(params[f"W{l}"])) for l in range(1, L + 1)]
        records["frobenius"].append(np.stack(norms, axis=-1))
        if callback is not None:
            callback(i, num_iterations)

    for i in range(num_iterations):
        _, cache = _forward(X, params, activation)
        if i % record_every == 0:
            record(i, cache)
        grads = _backward(Y, params, cache, grad_lambd, "l2", activation)
        for key in params:
            params[key] -= alpha * grads["d" + key]
            if penalty == "l1" and key.startswith("W"):
                params[key] = _shrink(params[key], threshold)
    _, cache = _forward(X, params, activation)
    record(num_iterations, cache)
    return params, {key: np.asarray(value) for key, value in records.items()}


# --- checks --------------------------------------------------------------------------------------

def _layer_dims(layer_dims) -> list[int]:
    if isinstance(layer_dims, (str, bytes)) or not hasattr(layer_dims, "__len__"):
        raise TypeError(f"layer_dims must be a list of layer sizes like [2, 20, 3, 1], got {layer_dims!r}")
    dims = [v.integer(f"layer_dims[{i}]", n, minimum=1) for i, n in enumerate(layer_dims)]
    if len(dims) < 2:
        raise ValueError(f"layer_dims must list at least the input and output sizes, got {dims}")
    if dims[-1] != 1:
        raise ValueError(f"layer_dims must end with 1 (one sigmoid output unit), got {dims}")
    return dims


def _grads(name, grads, params) -> dict[str, np.ndarray]:
    """Gradients {"dW1": ..., "db1": ...} matching `params` key by key and shape by shape."""
    if not isinstance(grads, dict):
        raise TypeError(f"{name} must be a dict {{'dW1': ..., 'db1': ..., ...}} as returned by backward(), "
                        f"got {type(grads).__name__}")
    expected = sorted("d" + key for key in params)
    if sorted(grads) != expected:
        raise ValueError(f"{name} must hold the keys {expected}, got {sorted(grads)}")
    out = {}
    for key, value in params.items():
        g = v.as_matrix(f"{name}['d{key}']", grads["d" + key], ndim=value.ndim)
        if g.shape != value.shape:
            raise ValueError(f"{name}['d{key}'] must have the shape of {key}, {value.shape}, got {g.shape}")
        out["d" + key] = g
    return out


def _params(params) -> dict[str, np.ndarray]:
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict {{'W1': ..., 'b1': ..., ...}}, got {type(params).__name__}")
    L = len(params) // 2
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if L == 0 or set(params) != expected:
        raise ValueError(f"params must hold W1, b1, ..., WL, bL, got keys {sorted(params)}")
    out = {}
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        nd = np.ndim(W)
        W = v.as_matrix(f"W{l}", W, ndim=nd if nd in (2, 3) else 2)
        b = v.as_matrix(f"b{l}", b, ndim=W.ndim, rows=W.shape[-2], cols=1,
                        hint=f" (b{l} must be (n[{l}], 1) = ({W.shape[-2]}, 1))")
        if l > 1 and W.shape[-1] != out[f"W{l - 1}"].shape[-2]:
            raise ValueError(f"W{l} must have shape (n[{l}], n[{l - 1}]) with n[{l - 1}] = "
                             f"{out[f'W{l - 1}'].shape[-2]}, got {W.shape}")
        out[f"W{l}"], out[f"b{l}"] = W, b
    return out

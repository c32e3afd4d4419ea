"""An L-layer neural network in NumPy with L2 or L1 regularization.

Shapes follow the course's notation: X is (n_x, m), examples are columns; W[l] is (n[l], n[l-1]),
b[l] is (n[l], 1), A[l] and Z[l] are (n[l], m). Hidden layers use ReLU or tanh, the output layer a
sigmoid. Parameters live in a dict ``{"W1": ..., "b1": ..., ..., "WL": ..., "bL": ...}``.

Training can run **batched over K values of lambd at once**: pass ``lambd`` as a 1-D array and
every parameter gets a leading axis of length K (W[l] becomes (K, n[l], n[l-1])). The same
formulas below serve both cases because ``@`` broadcasts over leading axes; ``.mT`` is the
transpose of the last two axes (plain ``.T`` for a single matrix).

Every public function checks its input (``@v.checked``, see `regcourse._validate`); the training loop
checks once and then calls the same bodies as ``function.unchecked(...)``. The penalty terms and
their gradients come from `regcourse.penalties`, where each is written once.

Divergence is an outcome, not a crash: a network whose cost becomes non-finite or explodes, or whose
L2 decay factor 1 - alpha lambd / m is <= 0, stops; the others in a batch go on (see `train`).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import _validate as v
from .penalties import (KINDS, PENALTY_GRADIENTS, PENALTY_TERMS, decay_factor, frobenius_norm_sq,
                        soft_threshold)

ACTIVATIONS = ("relu", "tanh")
PENALTIES = KINDS  # the kinds of penalty: "l2" and "l1"
EXPLODING = 10.0   # a cost above EXPLODING x its starting value counts as diverged


class Cost(NamedTuple):
    """The cost split into its two parts: J = data_loss + penalty (`penalty` is the value of the term)."""

    data_loss: float | np.ndarray
    penalty: float | np.ndarray
    total: float | np.ndarray


class DivergenceWarning(RuntimeWarning):
    """Training diverged for some lambd values (see ``Fit.divergence``)."""


# --- activations: g(Z) and g'(Z) side by side --------------------------------------------------
# Backprop reads g'(Z[l]) off the cached A[l] = g(Z[l]) (saves recomputing tanh), so each
# derivative takes A: relu'(Z) = 1 where A > 0, tanh'(Z) = 1 - A^2.

def _Z(Z):
    return {"Z": v.as_matrix("Z", Z, ndim=max(np.ndim(Z), 1))}


def _A(A):
    return {"A": v.as_matrix("A", A, ndim=max(np.ndim(A), 1))}


@v.checked(_Z)
def relu(Z):
    """g(Z) = max(Z, 0), elementwise."""
    return np.maximum(Z, 0.0)


@v.checked(_A)
def relu_derivative(A):
    """relu'(Z) read off A = relu(Z): 1 (True) where A > 0, else 0 (False)."""
    return A > 0


@v.checked(_Z)
def tanh(Z):
    """g(Z) = tanh(Z), elementwise."""
    return np.tanh(Z)


@v.checked(_A)
def tanh_derivative(A):
    """tanh'(Z) = 1 - tanh(Z)^2, read off A = tanh(Z): 1 - A^2."""
    return 1.0 - A * A


@v.checked(_Z)
def sigmoid(Z):
    """The output unit: sigmoid(Z) = 1 / (1 + exp(-Z)), computed without overflow warnings."""
    return 0.5 * (1.0 + np.tanh(0.5 * Z))


_G = {"relu": (relu.unchecked, relu_derivative.unchecked), "tanh": (tanh.unchecked, tanh_derivative.unchecked)}


# --- parameters --------------------------------------------------------------------------------

def _initialize_args(layer_dims, activation, seed):
    return {"layer_dims": v.layer_dims(layer_dims), "activation": v.choice("activation", activation, ACTIVATIONS),
            "seed": v.rng(seed)}


@v.checked(_initialize_args)
def initialize(layer_dims, activation: str = "relu", seed=0) -> dict[str, np.ndarray]:
    """Random W[l] of shape (n[l], n[l-1]) and zero b[l], from `seed` (an int or a Generator).

    Scale: He, sqrt(2 / n[l-1]), for ReLU; sqrt(1 / n[l-1]) for tanh. layer_dims = [n_x, n[1], ..., 1].
    """
    gain = 2.0 if activation == "relu" else 1.0
    params = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        params[f"W{l}"] = seed.standard_normal((n, n_prev)) * np.sqrt(gain / n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


def _params_arg(params):
    return {"params": v.network_params(params)}


@v.checked(_params_arg)
def num_layers(params) -> int:
    """L, the number of layers with weights."""
    return len(params) // 2


@v.checked(_params_arg)
def layer_dims_of(params) -> list[int]:
    """[n_x, n[1], ..., n[L]] read off the weight shapes."""
    L = num_layers.unchecked(params)
    return [params["W1"].shape[-1]] + [params[f"W{l}"].shape[-2] for l in range(1, L + 1)]


# --- forward, cost, backward -------------------------------------------------------------------

def _forward_args(X, params, activation):
    params = v.network_params(params)
    return {"X": v.examples_as_columns(X, n_x=params["W1"].shape[-1]), "params": params,
            "activation": v.choice("activation", activation, ACTIVATIONS)}


@v.checked(_forward_args)
def forward(X, params, activation: str = "relu"):
    """Forward propagation: Z[l] = W[l] A[l-1] + b[l], A[l] = g(Z[l]); the output uses a sigmoid.

    Returns (AL, cache) with cache = {"A0": X, "Z1": ..., "A1": ..., "ZL": ..., "AL": ...}.
    """
    g = _G[activation][0]
    L = num_layers.unchecked(params)
    cache = {"A0": X}
    A = X
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ A
        Z += params[f"b{l}"]  # Z = W A + b, adding b in place (one pass fewer over a (K, n, m) batch)
        A = sigmoid.unchecked(Z) if l == L else g(Z)
        cache[f"Z{l}"], cache[f"A{l}"] = Z, A
    return A, cache


def _cost_args(X, Y, params, lambd, penalty, activation):
    params = v.network_params(params)
    X, Y = v.examples_as_columns(X, Y, n_x=params["W1"].shape[-1])
    return {"X": X, "Y": Y, "params": params, "lambd": v.lambd(lambd), "penalty": v.choice("penalty", penalty, KINDS),
            "activation": v.choice("activation", activation, ACTIVATIONS)}


@v.checked(_cost_args)
def cost(X, Y, params, lambd=0.0, penalty: str = "l2", activation: str = "relu") -> Cost:
    """J = (1/m) sum_i L(yhat_i, y_i) + penalty term, with `penalty` the kind of term: "l2" adds
    (lambd/2m) sum_l ||W[l]||_F^2, "l1" adds (lambd/m) sum_l sum |W[l]_ij|. L is the cross-entropy loss.
    """
    _, cache = forward.unchecked(X, params, activation)
    return _cost(cache, Y, params, lambd, penalty)


def _cross_entropy_args(ZL, Y):
    Y = v.labels(Y)
    return {"ZL": v.as_matrix("ZL", ZL, ndim=max(np.ndim(ZL), 2), rows=1, cols=Y.shape[1],
                              hint=f" — ZL must be the output's Z, (1, m) with m = {Y.shape[1]}"), "Y": Y}


@v.checked(_cross_entropy_args)
def cross_entropy(ZL, Y) -> float | np.ndarray:
    """The data loss (1/m) sum_i L(yhat_i, y_i), L the cross-entropy, from the logits ZL (yhat = sigmoid(ZL)).

    -[y log s(z) + (1 - y) log(1 - s(z))] = log(1 + e^z) - y z, which stays finite for any z.
    """
    data_loss = np.mean(np.logaddexp(0.0, ZL) - Y * ZL, axis=-1)[..., 0]
    return float(data_loss) if data_loss.ndim == 0 else data_loss


def _cost(cache, Y, params, lambd, penalty):
    """The cost of a forward pass (lambd may be a (K,) array for a batch)."""
    L, m = num_layers.unchecked(params), Y.shape[-1]
    data_loss = cross_entropy.unchecked(cache[f"Z{L}"], Y)
    weights = [params[f"W{l}"] for l in range(1, L + 1)]
    penalty_term = PENALTY_TERMS[penalty].unchecked(weights, lambd, m)
    return Cost(data_loss, penalty_term, data_loss + penalty_term)


def _linear_backward_args(dZ, A_prev, W, lambd, penalty):
    W = v.as_matrix("W", W)
    A_prev = v.as_matrix("A_prev", A_prev, rows=W.shape[-1], hint=f" — A_prev must be (n[l-1], m) with "
                                                                   f"n[l-1] = W.shape[1] = {W.shape[-1]}")
    dZ = v.as_matrix("dZ", dZ, rows=W.shape[-2], cols=A_prev.shape[-1],
                     hint=f" — dZ must be (n[l], m) = ({W.shape[-2]}, {A_prev.shape[-1]})")
    return {"dZ": dZ, "A_prev": A_prev, "W": W, "lambd": v.lambd(lambd), "penalty": v.choice("penalty", penalty, KINDS)}


@v.checked(_linear_backward_args)
def linear_backward(dZ, A_prev, W, lambd=0.0, penalty: str = "l2"):
    """Gradients through Z = W A_prev + b, given dZ: returns (dW, db).

    dW = (1/m) dZ A_prev^T + (lambd/m) W   for L2: the penalty adds one term to dW, nothing else changes
         (+ (lambd/m) sign(W) for "l1", a subgradient: |w| has no derivative at 0);
    db = (1/m) sum_i dZ_i                    biases are not penalized.
    """
    m = A_prev.shape[-1]
    dW = dZ @ A_prev.mT / m + PENALTY_GRADIENTS[penalty].unchecked(W, lambd, m)
    db = dZ.sum(axis=-1, keepdims=True) / m
    return dW, db


def _backward_args(Y, params, cache, lambd, penalty, activation):
    params = v.network_params(params)
    L = num_layers.unchecked(params)
    Y = v.labels(Y)
    if not isinstance(cache, dict):
        raise TypeError(f"cache must be the dict returned by forward(), got {type(cache).__name__}")
    if f"A{L}" not in cache or np.shape(cache[f"A{L}"])[-1:] != Y.shape[-1:]:
        raise ValueError(f"cache must come from forward() on the same m = {Y.shape[-1]} examples as Y")
    cache = {key: v.as_matrix(f"cache[{key!r}]", value, ndim=np.ndim(value)) for key, value in cache.items()}
    return {"Y": Y, "params": params, "cache": cache, "lambd": v.lambd(lambd),
            "penalty": v.choice("penalty", penalty, KINDS), "activation": v.choice("activation", activation, ACTIVATIONS)}


@v.checked(_backward_args)
def backward(Y, params, cache, lambd=0.0, penalty: str = "l2", activation: str = "relu"):
    """Backpropagation of the regularized cost; returns {"dW1": ..., "db1": ..., ...}.

    dZ[L] = A[L] - Y (sigmoid output, cross-entropy loss); then for l = L, ..., 1:
    dW[l], db[l] = linear_backward(dZ[l], A[l-1], W[l], lambd, penalty) and
    dZ[l-1] = W[l]^T dZ[l] * g'(Z[l-1]). With lambd = 0 (the default): the data loss alone.
    """
    g_prime = _G[activation][1]
    L = num_layers.unchecked(params)
    grads = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        W, A_prev = params[f"W{l}"], cache[f"A{l - 1}"]
        grads[f"dW{l}"], grads[f"db{l}"] = linear_backward.unchecked(dZ, A_prev, W, lambd, penalty)
        if l > 1:
            dZ = W.mT @ dZ
            dZ *= g_prime(A_prev)  # dZ[l-1] = W[l]^T dZ[l] * g'(Z[l-1]), in place
    return grads


# --- updates: the two forms of an L2 step --------------------------------------------------------

def _update_args(params, grads, learning_rate):
    params = v.network_params(params)
    return {"params": params, "grads": v.gradients_of("grads", grads, params),
            "learning_rate": v.positive("learning_rate", learning_rate)}


@v.checked(_update_args)
def update(params, grads, learning_rate: float) -> dict[str, np.ndarray]:
    """Gradient form: W[l] := W[l] - alpha dW[l], b[l] := b[l] - alpha db[l] (dW includes the penalty)."""
    return {key: value - learning_rate * grads["d" + key] for key, value in params.items()}


def _weight_decay_update_args(params, grads_backprop, learning_rate, lambd, m):
    params = v.network_params(params)
    return {"params": params, "grads_backprop": v.gradients_of("grads_backprop", grads_backprop, params),
            "learning_rate": v.positive("learning_rate", learning_rate), "lambd": v.lambd(lambd),
            "m": v.integer("m", m, minimum=1)}


@v.checked(_weight_decay_update_args)
def weight_decay_update(params, grads_backprop, learning_rate: float, lambd: float, m: int):
    """Weight-decay form of the same L2 step: W[l] := (1 - alpha lambd / m) W[l] - alpha dW_backprop[l].

    `grads_backprop` are the gradients of the data loss alone (lambd = 0 in backward).
    """
    decay = decay_factor.unchecked(learning_rate, lambd, m)
    return {key: (decay * value if key.startswith("W") else value) - learning_rate * grads_backprop["d" + key]
            for key, value in params.items()}


# --- training ------------------------------------------------------------------------------------

@dataclass
class Fit:
    """What `network.train` returns: final parameters, the recorded history and any divergence.

    When trained batched over K values of lambd, every array in `params` and `history` carries an
    axis of length K (after the record axis in `history`), and ``fit[k]`` is the run for lambd[k].

    A network that diverged has ``diverged`` True (a (K,) bool array for a batch) and a message in
    ``divergence`` (None, or one entry per lambd, None where it trained normally). Its params are
    frozen at its last recorded finite iterate, never NaN, so `accuracy`, `predict`, `cost` still
    answer: for that frozen network, not a trained one. Its history is NaN from the record at which
    it stopped on.
    """

    params: dict[str, np.ndarray]
    lambd: float | np.ndarray
    penalty: str
    activation: str
    learning_rate: float
    num_iterations: int
    history: dict[str, np.ndarray] = field(repr=False)
    diverged: bool | np.ndarray = False
    divergence: str | tuple[str | None, ...] | None = None

    def __post_init__(self):
        if self.batched and np.ndim(self.diverged) == 0:   # built without divergence information
            self.diverged = np.full(len(self), bool(self.diverged))
            self.divergence = (None,) * len(self)

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
                   self.penalty, self.activation, self.learning_rate, self.num_iterations, history,
                   bool(self.diverged[k]), self.divergence[k])

    def forward(self, X):
        """(AL, cache) on X; batched fits give arrays with a leading K axis."""
        return forward(X, self.params, self.activation)

    def predict_proba(self, X) -> np.ndarray:
        """P(y = 1 | x) for each column of X: (1, m), or (K, 1, m) when batched."""
        return self.forward(X)[0]

    def predict(self, X) -> np.ndarray:
        """Labels 0/1: 1 where P(y = 1 | x) > 0.5."""
        return (self.predict_proba(X) > 0.5).astype(float)

    def accuracy(self, X, Y) -> float | np.ndarray:
        """Fraction of examples labelled correctly (one value per lambd when batched)."""
        X, Y = v.examples_as_columns(X, Y, n_x=self.params["W1"].shape[-1])
        acc = np.mean(self.predict(X) == Y, axis=-1)[..., 0]
        return float(acc) if acc.ndim == 0 else acc

    def cost(self, X, Y) -> Cost:
        """Data loss, penalty and total cost of the final parameters on (X, Y)."""
        X, Y = v.examples_as_columns(X, Y, n_x=self.params["W1"].shape[-1])
        lam = np.asarray(self.lambd).reshape(-1, 1, 1) if self.batched else self.lambd
        _, cache = forward.unchecked(X, self.params, self.activation)
        return Cost(*(float(c) if np.ndim(c) == 0 else c
                      for c in _cost(cache, Y, self.params, np.squeeze(lam), self.penalty)))

    def sum_frobenius_sq(self) -> float | np.ndarray:
        """sum_l ||W[l]||_F^2 of the final parameters."""
        total = sum(frobenius_norm_sq.unchecked(self.params[f"W{l}"])
                    for l in range(1, num_layers.unchecked(self.params) + 1))
        return float(total) if np.ndim(total) == 0 else total


def _train_args(X, Y, layer_dims, params, lambd, penalty, activation, learning_rate, num_iterations, seed,
                record_every, callback):
    penalty = v.choice("penalty", penalty, KINDS)
    activation = v.choice("activation", activation, ACTIVATIONS)
    learning_rate = v.positive("learning_rate", learning_rate)
    num_iterations = v.integer("num_iterations", num_iterations, minimum=0, maximum=v.MAX_ITERATIONS)
    record_every = v.integer("record_every", record_every, minimum=1)
    lambd = v.lambd_grid(lambd)
    if params is None:
        if layer_dims is None:
            raise TypeError("train needs layer_dims (e.g. [2, 20, 3, 1]) or params, got neither")
        params = initialize(layer_dims, activation, seed)
    else:
        params = v.network_params(params)
        if layer_dims is not None and v.layer_dims(layer_dims) != layer_dims_of.unchecked(params):
            raise ValueError(f"layer_dims {list(layer_dims)} disagree with params' shapes "
                             f"{layer_dims_of.unchecked(params)}")
    if params["W1"].ndim != 2:
        raise ValueError(f"params must hold one network to start from (W1 of shape (n[1], n[0])), got W1 of "
                         f"shape {params['W1'].shape} — a batched run starts all lambd values from the same params")
    if callback is not None:
        v.function("callback", callback, "a function callback(done, total) or None")
    X, Y = v.examples_as_columns(X, Y, n_x=params["W1"].shape[-1])
    return {"X": X, "Y": Y, "layer_dims": layer_dims, "params": params, "lambd": lambd, "penalty": penalty,
            "activation": activation, "learning_rate": learning_rate, "num_iterations": num_iterations,
            "seed": seed, "record_every": record_every, "callback": callback}


@v.checked(_train_args)
def train(X, Y, layer_dims=None, *, params=None, lambd=0.0, penalty: str = "l2",
          activation: str = "relu", learning_rate: float = 0.5, num_iterations: int = 2000,
          seed=0, record_every: int = 10,
          callback: Callable[[int, int], None] | None = None) -> Fit:
    """Full-batch gradient descent on the regularized cost; returns a `Fit` (params, history, divergence).

    `penalty` is the kind of term, "l2" or "l1". Start from `params` when given (copied, so a
    published run can be reproduced exactly), else from ``initialize(layer_dims, activation, seed)``.
    Each iteration:

    * L2: W[l] := W[l] - alpha (dW_backprop[l] + (lambd/m) W[l])
    * L1: W[l] := soft_threshold(W[l] - alpha dW_backprop[l], alpha lambd / m), the proximal step,
      which sets small weights to exactly 0.

    `lambd` may be a 1-D array of K values: the K networks start from the same parameters and
    train in one vectorized pass (`_sweep`). History (every `record_every` iterations and at the
    end): "iteration", "data_loss", "penalty" and "frobenius" (||W[l]||_F per layer).
    `callback(done, total)` is called every `record_every` iterations (e.g. for a progress bar).

    A network diverges when its decay factor 1 - alpha lambd / m is <= 0 (L2: it takes no step), or
    when a recorded cost is not finite or above EXPLODING times its starting cost. It stops there,
    frozen at its last good record (see `Fit`); the others train on, exactly as they would alone.
    A DivergenceWarning names the lambd values.
    """
    if lambd.ndim == 0:
        start = {key: value.copy() for key, value in params.items()}
        fit = Fit(*_descend(X, Y, start, float(lambd), penalty, activation, learning_rate, num_iterations,
                            record_every, callback))
    else:
        fit = _sweep(X, Y, params, lambd, penalty, activation, learning_rate, num_iterations, record_every,
                     callback)
    if np.any(fit.diverged):
        where = np.flatnonzero(fit.diverged) if fit.batched else [0]
        values = ", ".join(f"{np.atleast_1d(fit.lambd)[k]:g}" for k in where)
        warnings.warn(f"training diverged for λ = {values}: see fit.divergence", DivergenceWarning, stacklevel=3)
    return fit


def _sweep(X, Y, params, lambd, penalty, activation, alpha, num_iterations, record_every, callback) -> Fit:
    """`train` batched over the K values of `lambd`, split into chunks that run on separate cores.

    The K runs never interact: each chunk starts from K copies of `params`, with lambd shaped
    (K, 1, 1) to broadcast against W (K, n, n_prev), and the chunks are joined afterwards.
    """
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
    joined = {key: np.concatenate([r[0][key] for r in results]) for key in params}
    history = {key: (results[0][6][key] if key == "iteration"
                     else np.concatenate([r[6][key] for r in results], axis=1))
               for key in results[0][6]}
    diverged = np.concatenate([r[7] for r in results])
    divergence = tuple(message for r in results for message in r[8])
    return Fit(joined, lambd, penalty, activation, alpha, num_iterations, history, diverged, divergence)


def _workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _descend(X, Y, params, lam, penalty, activation, alpha, num_iterations, record_every, callback):
    """The gradient-descent loop on `params` (one network, or K stacked with lam of shape (K, 1, 1)).

    Returns the fields of a Fit: (params, lambd, penalty, activation, alpha, num_iterations, history,
    diverged, divergence). A network that diverges leaves the batch; the others go on unchanged.
    """
    m, L = Y.shape[1], num_layers.unchecked(params)
    batched = np.ndim(lam) == 3
    K = lam.shape[0] if batched else 1
    lambdas = np.asarray(lam, dtype=float).reshape(K)
    messages: list[str | None] = [None] * K
    active = np.arange(K)                                           # the networks still training
    frozen: dict[int, dict[str, np.ndarray]] = {}                   # where stopped networks stay
    snapshot = {}                                                   # params at the last record
    threshold = alpha * lam / m                                     # of L1's proximal step
    start_cost = np.full(K, np.inf)
    grid = list(range(0, num_iterations, record_every)) + [num_iterations]
    records = {"data_loss": np.full((len(grid), K), np.nan), "penalty": np.full((len(grid), K), np.nan),
               "frobenius": np.full((len(grid), K, L), np.nan)}

    def stop(ks, message, source):
        """Take networks ks (indices into the batch) out of the loop, frozen at `source`'s params."""
        nonlocal params, lam, threshold, active
        for k in ks:
            messages[k] = message(k)
            j = int(np.flatnonzero(active == k)[0])
            frozen[k] = {key: (value[j] if batched else value).copy() for key, value in source.items()}
        keep = ~np.isin(active, ks)
        if batched:
            params, lam, threshold = {key: value[keep] for key, value in params.items()}, lam[keep], threshold[keep]
        active = active[keep]

    def record(r, i, cache):
        nonlocal snapshot
        data, pen, total = (np.reshape(x, -1) for x in _cost(cache, Y, params, np.squeeze(lam), penalty))
        if i == 0:
            start_cost[active] = total
        bad = ~np.isfinite(total) | (total > EXPLODING * start_cost[active])
        records["data_loss"][r, active], records["penalty"][r, active] = data, pen
        norms = [np.sqrt(frobenius_norm_sq.unchecked(params[f"W{l}"])) for l in range(1, L + 1)]
        records["frobenius"][r, active] = np.reshape(np.stack(norms, axis=-1), (-1, L))
        if bad.any():       # stopped at their previous record: NaN from this one on
            records["data_loss"][r, active[bad]] = records["penalty"][r, active[bad]] = np.nan
            records["frobenius"][r, active[bad]] = np.nan
            stop(active[bad], lambda k: _exploded(total[np.flatnonzero(active == k)[0]], i), snapshot or params)
        snapshot = {key: value.copy() for key, value in params.items()}

    flips = np.flatnonzero(decay_factor.unchecked(alpha, lambdas, m) <= 0) if penalty == "l2" else []
    r = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):   # divergence is caught at records
        for i in range(num_iterations + 1):
            _, cache = forward.unchecked(X, params, activation)
            if i == grid[r]:
                record(r, i, cache)
                r += 1
                if callback is not None:
                    callback(i, num_iterations)
            if i == 0 and len(flips):   # a decay factor <= 0 flips the sign of W at every step: no step taken
                stop(flips, lambda k: _flips(alpha * lambdas[k] / m), params)
                snapshot = {key: value.copy() for key, value in params.items()}
            if i == num_iterations or not len(active):
                break
            if batched and len(cache[f"A{L}"]) != len(active):   # networks stopped: the others' pass
                _, cache = forward.unchecked(X, params, activation)
            if penalty == "l2":
                grads = backward.unchecked(Y, params, cache, lam, "l2", activation)   # dW_backprop + (lambd/m) W
            else:
                grads = backward.unchecked(Y, params, cache, activation=activation)   # the data loss alone
            for key in params:
                params[key] -= alpha * grads["d" + key]
                if penalty == "l1" and key.startswith("W"):
                    params[key] = soft_threshold.unchecked(params[key], threshold)   # L1's proximal step
    if callback is not None:
        for i in grid[r:]:      # every network stopped early: finish the progress report
            callback(i, num_iterations)
    history = {"iteration": np.array(grid), **records}
    if not batched:
        history = {key: (value if key == "iteration" else value[:, 0]) for key, value in history.items()}
        return (frozen.get(0, params), lam, penalty, activation, alpha, num_iterations, history,
                messages[0] is not None, messages[0])
    if frozen:   # put the batch back together: the networks that trained on, and the frozen ones
        final = {key: np.empty((K,) + value.shape[1:]) for key, value in snapshot.items()}
        for key in final:
            final[key][active] = params[key]
            for k, stopped in frozen.items():
                final[key][k] = stopped[key]
        params = final
    diverged = np.array([message is not None for message in messages])
    return params, lambdas.reshape(-1, 1, 1), penalty, activation, alpha, num_iterations, history, diverged, messages


def _flips(ratio: float) -> str:
    return (f"α·λ/m = {ratio:.3g} ≥ 1: the decay factor 1 − α·λ/m = {1 - ratio:.3g} is ≤ 0, so each step "
            f"flips the sign of W. Lower the learning rate or λ")


def _exploded(cost: float, i: int) -> str:
    grew = f"the cost grew to {cost:.2g}" if np.isfinite(cost) else "the cost became non-finite"
    return f"{grew} at iteration {i} (more than {EXPLODING:g}x its start): lower the learning rate"



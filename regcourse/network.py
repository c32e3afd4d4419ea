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

The training loop, `train`, and what it returns, `Fit`, live in `regcourse.training`; they are
also reachable here as ``network.train`` and ``network.Fit``, the names the notebooks use.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _validate as v
from .penalties import KINDS, PENALTY_GRADIENTS, PENALTY_TERMS, decay_factor

ACTIVATIONS = ("relu", "tanh")
PENALTIES = KINDS  # the kinds of penalty: "l2" and "l1"


class Cost(NamedTuple):
    """The cost split into its two parts: J = data_loss + penalty (`penalty` is the value of the term)."""

    data_loss: float | np.ndarray
    penalty: float | np.ndarray
    total: float | np.ndarray


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
    return cost_from_forward.unchecked(cache, Y, params, lambd, penalty)


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


def _cost_from_forward_args(cache, Y, params, lambd, penalty):
    args = _backward_args(Y, params, cache, lambd, penalty, "relu")
    del args["activation"]
    return args


@v.checked(_cost_from_forward_args)
def cost_from_forward(cache, Y, params, lambd=0.0, penalty: str = "l2") -> Cost:
    """The cost J of the forward pass `cache` (from ``forward(X, params)``), as in `cost`.

    Training uses it to get the cost from the pass it already made; lambd may be a (K,) array for a batch.
    """
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


# --- training: its own module, reachable from here ---------------------------------------------------

from .training import EXPLODING, DivergenceWarning, Fit, train  # noqa: E402  (needs the functions above)

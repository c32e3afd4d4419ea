"""Adam and AdamW in NumPy: why "L2 in the gradient" and "weight decay" part ways under Adam.

Under plain gradient descent the L2 gradient (λ/m) W and a decoupled decay of the weights are the
same step: W := W - α (dW_bp + (λ/m) W) = (1 - α λ/m) W - α dW_bp. Adam divides every gradient
entry by a running estimate of its own size, sqrt(v_hat). An L2 term inside the gradient is divided
too, so weights whose gradients are large are barely decayed. AdamW (Loshchilov & Hutter,
"Decoupled Weight Decay Regularization", ICLR 2019) keeps the decay outside Adam's division:

    Adam + L2:  g = dW_bp + (λ/m) W;  W := W - α m_hat / (sqrt(v_hat) + eps)
    AdamW:      g = dW_bp;            W := W - α m_hat / (sqrt(v_hat) + eps) - α wd W

Parameters and gradients are dicts as in ``regcourse.network``: params {"W1", "b1", ...}, grads
{"dW1", "db1", ...}. Only the weights W[l] are decayed, never the biases, as in the course's
penalty. Every step returns new dicts and leaves its inputs untouched; Adam's state (the step
count t and the moment estimates m, v) is an explicit dict made by ``init_state``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import _validate as v
from . import network

OPTIMIZERS = ("gd", "adam", "adamw")
Params = Mapping[str, np.ndarray]   # {"W1": ..., "b1": ...} or, for gradients, {"dW1": ..., "db1": ...}


def init_state(params: Params) -> dict:
    """Adam's state before the first step: t = 0 and zero first/second moments for every entry."""
    params = _params(params)
    return {"t": 0,
            "m": {key: np.zeros_like(value) for key, value in params.items()},
            "v": {key: np.zeros_like(value) for key, value in params.items()}}


def gd_step(params: Params, grads: Params, learning_rate: float,
            weight_decay: float = 0.0) -> dict[str, np.ndarray]:
    """Gradient descent with decoupled weight decay: W := W - α dW - α wd W (b := b - α db).

    With weight_decay = λ/m and grads from the data loss alone this is exactly the L2 step
    W := W - α (dW_bp + (λ/m) W), only written as (1 - α wd) W - α dW_bp.
    """
    params, grads = _params(params), _grads(grads, params)
    alpha = v.positive("learning_rate", learning_rate)
    wd = v.scalar("weight_decay", weight_decay, minimum=0.0)
    return _gd(params, grads, alpha, wd)


def _gd(params, grads, alpha, wd):
    return {key: value - alpha * grads["d" + key] - (alpha * wd * value if _decayed(key) else 0.0)
            for key, value in params.items()}


def adam_step(params: Params, grads: Params, state: dict, learning_rate: float = 0.001, beta1: float = 0.9,
              beta2: float = 0.999, eps: float = 1e-8) -> tuple[dict[str, np.ndarray], dict]:
    """One Adam step (Kingma & Ba, 2015); returns (new params, new state).

        t := t + 1
        m := β1 m + (1 - β1) g          m_hat = m / (1 - β1^t)
        v := β2 v + (1 - β2) g²         v_hat = v / (1 - β2^t)
        W := W - α m_hat / (sqrt(v_hat) + eps)

    for every parameter (g is its gradient). To train with an L2 penalty, pass the regularized
    gradients dW_bp + (λ/m) W (``network.backward(..., lambd=λ)``): the penalty's gradient is then
    divided by sqrt(v_hat) like the rest.
    """
    return adamw_step(params, grads, state, learning_rate, beta1, beta2, eps, weight_decay=0.0)


def adamw_step(params: Params, grads: Params, state: dict, learning_rate: float = 0.001, beta1: float = 0.9,
               beta2: float = 0.999, eps: float = 1e-8,
               weight_decay: float = 0.01) -> tuple[dict[str, np.ndarray], dict]:
    """One AdamW step, decoupled weight decay; returns (new params, new state).

        W := W - α m_hat / (sqrt(v_hat) + eps) - α wd W      (b: no decay term)

    with m_hat, v_hat as in `adam_step`, computed from the data-loss gradients alone. This is
    Loshchilov & Hutter's Algorithm 2 with their schedule multiplier η_t as the learning rate
    (and their α = 1): the form PyTorch's ``torch.optim.AdamW`` uses. The decay α wd W does not
    pass through the division by sqrt(v_hat), so every weight shrinks by the same factor
    (1 - α wd) per step, whatever the size of its gradients.
    """
    params, grads = _params(params), _grads(grads, params)
    alpha = v.positive("learning_rate", learning_rate)
    beta1, beta2, eps = _betas(beta1, beta2, eps)
    wd = v.scalar("weight_decay", weight_decay, minimum=0.0)
    return _adamw(params, grads, _state(state, params), alpha, beta1, beta2, eps, wd)


def _adamw(params, grads, state, alpha, beta1, beta2, eps, wd):
    """The AdamW step on checked inputs (wd = 0: Adam)."""
    t = state["t"] + 1
    new_params, new_m, new_v = {}, {}, {}
    for key, W in params.items():
        g = grads["d" + key]
        m = beta1 * state["m"][key] + (1 - beta1) * g
        s = beta2 * state["v"][key] + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1 ** t), s / (1 - beta2 ** t)
        step = alpha * m_hat / (np.sqrt(v_hat) + eps)
        new_params[key] = W - step - (alpha * wd * W if _decayed(key) else 0.0)
        new_m[key], new_v[key] = m, s
    return new_params, {"t": t, "m": new_m, "v": new_v}


def train(X: np.ndarray, Y: np.ndarray, params: Params, *, optimizer: str = "adam", lambd: float = 0.0,
          weight_decay: float = 0.0, learning_rate: float = 0.01, num_iterations: int = 100,
          activation: str = "relu", beta1: float = 0.9, beta2: float = 0.999,
          eps: float = 1e-8) -> tuple[dict[str, np.ndarray], dict | None, dict[str, np.ndarray]]:
    """Full-batch training of a ``regcourse.network`` with "gd", "adam" or "adamw".

    The gradient is ``network.backward(..., lambd=lambd)`` (L2 inside the gradient when lambd > 0);
    `weight_decay` is the decoupled decay of `gd_step` / `adamw_step` ("adam" accepts none).
    Starts from a copy of `params`; returns (params, state, history) where history has
    "iteration" (R,) and "frobenius" (R, L), ||W[l]||_F before each iteration and at the end.
    State is None for "gd".
    """
    v.choice("optimizer", optimizer, OPTIMIZERS)
    params = network._params(params)      # a network: W1, b1, ..., WL, bL with matching shapes
    lambd = v.lambd(lambd)
    weight_decay = v.scalar("weight_decay", weight_decay, minimum=0.0)
    alpha = v.positive("learning_rate", learning_rate)
    beta1, beta2, eps = _betas(beta1, beta2, eps)
    if optimizer == "adam" and weight_decay > 0:
        raise ValueError("optimizer 'adam' has no decoupled weight decay: use weight_decay=0 "
                         f"(and lambd for an L2 term) or optimizer 'adamw', got weight_decay={weight_decay:g}")
    num_iterations = v.integer("num_iterations", num_iterations, minimum=0)
    X, Y = v.examples_as_columns(X, Y, n_x=network.layer_dims_of(params)[0])
    L = network.num_layers(params)
    state = None if optimizer == "gd" else init_state(params)
    norms = []
    v.choice("activation", activation, network.ACTIVATIONS)
    for _ in range(num_iterations):   # inputs checked once above; the loop calls the unchecked kernels
        norms.append([float(np.linalg.norm(params[f"W{l}"])) for l in range(1, L + 1)])
        _, cache = network._forward(X, params, activation)
        grads = network._backward(Y, params, cache, lambd, "l2", activation)
        if optimizer == "gd":
            params = _gd(params, grads, alpha, weight_decay)
        else:
            params, state = _adamw(params, grads, state, alpha, beta1, beta2, eps, weight_decay)
    norms.append([float(np.linalg.norm(params[f"W{l}"])) for l in range(1, L + 1)])
    history = {"iteration": np.arange(num_iterations + 1), "frobenius": np.array(norms)}
    return params, state, history


# --- checks ------------------------------------------------------------------------------------------

def _betas(beta1, beta2, eps):
    beta1 = v.scalar("beta1", beta1, minimum=0.0)
    beta2 = v.scalar("beta2", beta2, minimum=0.0)
    for name, beta in (("beta1", beta1), ("beta2", beta2)):
        if beta >= 1:
            raise ValueError(f"{name} must be < 1, got {beta:g}")
    return beta1, beta2, v.scalar("eps", eps, minimum=0.0)


def _decayed(key: str) -> bool:
    return key.startswith("W")


def _params(params) -> dict[str, np.ndarray]:
    if not isinstance(params, Mapping) or not params:
        raise TypeError(f"params must be a non-empty dict of arrays like {{'W1': ..., 'b1': ...}}, "
                        f"got {type(params).__name__}")
    return {key: v.as_matrix(key, value, ndim=max(np.ndim(value), 1)) for key, value in params.items()}


def _grads(grads, params) -> dict[str, np.ndarray]:
    expected = sorted("d" + key for key in params)
    if not isinstance(grads, Mapping) or sorted(grads) != expected:
        got = sorted(grads) if isinstance(grads, Mapping) else type(grads).__name__
        raise ValueError(f"grads must hold {expected} (one per parameter), got {got}")
    out = {}
    for key, value in params.items():
        g = v.as_matrix("d" + key, grads["d" + key], ndim=value.ndim)
        if g.shape != value.shape:
            raise ValueError(f"d{key} must have the shape of {key}, {value.shape}, got {g.shape}")
        out["d" + key] = g
    return out


def _state(state, params) -> dict:
    if not isinstance(state, Mapping) or not {"t", "m", "v"} <= set(state):
        raise TypeError("state must be a dict with 't', 'm' and 'v' as made by init_state(params), got "
                        + (f"keys {sorted(state)}" if isinstance(state, Mapping) else type(state).__name__))
    t = v.integer("state['t']", state["t"], minimum=0)
    for part in ("m", "v"):
        moments = state[part]
        if not isinstance(moments, Mapping) or sorted(moments) != sorted(params):
            raise ValueError(f"state['{part}'] must hold one array per parameter {sorted(params)}, "
                             f"got {sorted(moments) if isinstance(moments, Mapping) else type(moments).__name__}")
        for key, value in params.items():
            if np.shape(moments[key]) != value.shape:
                raise ValueError(f"state['{part}']['{key}'] must have shape {value.shape}, "
                                 f"got {np.shape(moments[key])}")
    return {"t": t, "m": state["m"], "v": state["v"]}

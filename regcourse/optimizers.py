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

import warnings
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from . import _validate as v
from .network import ACTIVATIONS, backward, cross_entropy, forward
from .penalties import decay_factor, l2_penalty
from .training import EXPLODING, DivergenceWarning

OPTIMIZERS = ("gd", "adam", "adamw")
Params = Mapping[str, np.ndarray]   # {"W1": ..., "b1": ...} or, for gradients, {"dW1": ..., "db1": ...}


def _params_arg(params):
    return {"params": v.array_dict("params", params)}


@v.checked(_params_arg)
def init_state(params: Params) -> dict:
    """Adam's state before the first step: t = 0 and zero first/second moments for every entry."""
    return {"t": 0,
            "m": {key: np.zeros_like(value) for key, value in params.items()},
            "v": {key: np.zeros_like(value) for key, value in params.items()}}


def _gd_args(params, grads, learning_rate, weight_decay):
    params = v.array_dict("params", params)
    return {"params": params, "grads": v.gradients_of("grads", grads, params),
            "learning_rate": v.positive("learning_rate", learning_rate),
            "weight_decay": v.scalar("weight_decay", weight_decay, minimum=0.0)}


@v.checked(_gd_args)
def gd_step(params: Params, grads: Params, learning_rate: float,
            weight_decay: float = 0.0) -> dict[str, np.ndarray]:
    """Gradient descent with decoupled weight decay: W := W - α dW - α wd W (b := b - α db).

    With weight_decay = λ/m and grads from the data loss alone this is exactly the L2 step
    W := W - α (dW_bp + (λ/m) W), only written as (1 - α wd) W - α dW_bp.
    """
    return {key: value - learning_rate * grads["d" + key] - (learning_rate * weight_decay * value
                                                             if _decayed(key) else 0.0)
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


def _adamw_args(params, grads, state, learning_rate, beta1, beta2, eps, weight_decay):
    params = v.array_dict("params", params)
    beta1, beta2, eps = _betas(beta1, beta2, eps)
    return {"params": params, "grads": v.gradients_of("grads", grads, params), "state": _state(state, params),
            "learning_rate": v.positive("learning_rate", learning_rate), "beta1": beta1, "beta2": beta2,
            "eps": eps, "weight_decay": v.scalar("weight_decay", weight_decay, minimum=0.0)}


@v.checked(_adamw_args)
def adamw_step(params: Params, grads: Params, state: dict, learning_rate: float = 0.001, beta1: float = 0.9,
               beta2: float = 0.999, eps: float = 1e-8,
               weight_decay: float = 0.01) -> tuple[dict[str, np.ndarray], dict]:
    """One AdamW step, decoupled weight decay; returns (new params, new state).

        W := W - α m_hat / (sqrt(v_hat) + eps) - α wd W      (b: no decay term)

    with m_hat, v_hat as in `adam_step`, computed from the data-loss gradients alone. This is
    Loshchilov & Hutter's Algorithm 2 with their schedule multiplier η_t as the learning rate
    (and their α = 1): the form PyTorch's ``torch.optim.AdamW`` uses. The decay α wd W does not
    pass through the division by sqrt(v_hat), so every weight shrinks by the same factor
    (1 - α wd) per step, whatever the size of its gradients. (weight_decay = 0: Adam.)
    """
    t = state["t"] + 1
    new_params, new_m, new_v = {}, {}, {}
    for key, W in params.items():
        g = grads["d" + key]
        m = beta1 * state["m"][key] + (1 - beta1) * g
        s = beta2 * state["v"][key] + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1 ** t), s / (1 - beta2 ** t)
        step = learning_rate * m_hat / (np.sqrt(v_hat) + eps)
        new_params[key] = W - step - (learning_rate * weight_decay * W if _decayed(key) else 0.0)
        new_m[key], new_v[key] = m, s
    return new_params, {"t": t, "m": new_m, "v": new_v}


class Run(NamedTuple):
    """What `optimizers.train` returns, to unpack as ``params, state, history = run``.

    (Not a `network.Fit`: this trainer records only the weight norms.) ``run.diverged`` and
    ``run.divergence`` say whether and why training stopped early.
    """

    params: dict[str, np.ndarray]
    state: dict | None
    history: dict[str, np.ndarray]

    @property
    def divergence(self) -> str | None:
        """None, or why training stopped: in course words, with what to change."""
        return self.history["divergence"]

    @property
    def diverged(self) -> bool:
        return self.history["divergence"] is not None


def _train_args(X, Y, params, optimizer, lambd, weight_decay, learning_rate, num_iterations, activation, beta1,
                beta2, eps):
    optimizer = v.choice("optimizer", optimizer, OPTIMIZERS)
    params = v.network_params(params)      # a network: W1, b1, ..., WL, bL with matching shapes
    if params["W1"].ndim != 2:
        raise ValueError(f"params must hold one network (W1 of shape (n[1], n[0])), got W1 of shape "
                         f"{params['W1'].shape}")
    weight_decay = v.scalar("weight_decay", weight_decay, minimum=0.0)
    if optimizer == "adam" and weight_decay > 0:
        raise ValueError("optimizer 'adam' has no decoupled weight decay: use weight_decay=0 "
                         f"(and lambd for an L2 term) or optimizer 'adamw', got weight_decay={weight_decay:g}")
    X, Y = v.examples_as_columns(X, Y, n_x=params["W1"].shape[1])
    beta1, beta2, eps = _betas(beta1, beta2, eps)
    return {"X": X, "Y": Y, "params": params, "optimizer": optimizer, "lambd": v.lambd(lambd),
            "weight_decay": weight_decay, "learning_rate": v.positive("learning_rate", learning_rate),
            "num_iterations": v.integer("num_iterations", num_iterations, minimum=0, maximum=v.MAX_ITERATIONS),
            "activation": v.choice("activation", activation, ACTIVATIONS), "beta1": beta1, "beta2": beta2, "eps": eps}


@v.checked(_train_args, finite=False)   # a diverged Run says so itself
def train(X: np.ndarray, Y: np.ndarray, params: Params, *, optimizer: str = "adam", lambd: float = 0.0,
          weight_decay: float = 0.0, learning_rate: float = 0.01, num_iterations: int = 100,
          activation: str = "relu", beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Run:
    """Full-batch training of a ``regcourse.network`` with "gd", "adam" or "adamw"; returns a `Run`
    (params, state, history), not a `network.Fit`.

    The gradient is ``network.backward(..., lambd=lambd)`` (L2 inside the gradient when lambd > 0);
    `weight_decay` is the decoupled decay of `gd_step` / `adamw_step` ("adam" accepts none).
    Starts from a copy of `params`; history has "iteration" (R,) and "frobenius" (R, L),
    ||W[l]||_F before each iteration and at the end, and "divergence". State is None for "gd".

    Training stops when the decay factor of the weights is <= 0 before the first step (gd:
    1 - α(λ/m + wd); adamw: 1 - α wd), or when the cost becomes non-finite or exceeds EXPLODING times
    its start: the params are then the last iterate with a finite, non-exploding cost, the rest of
    the "frobenius" history is NaN, and a DivergenceWarning says why.
    """
    m, L = Y.shape[1], len(params) // 2
    state = None if optimizer == "gd" else init_state.unchecked(params)
    norms = np.full((num_iterations + 1, L), np.nan)
    # the factor multiplying W per step: gd 1 - α(λ/m + wd), AdamW 1 - α wd (Adam rescales its L2 term)
    decay = decay_factor.unchecked(learning_rate, (lambd if optimizer == "gd" else 0.0) + m * weight_decay, m)
    divergence = _flipping(decay) if decay <= 0 and num_iterations else None
    start_cost, previous = None, (params, state)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i in range(num_iterations + 1):
            _, cache = forward.unchecked(X, params, activation)
            J = _cost_of(cache, Y, params, lambd)
            start_cost = J if start_cost is None else start_cost
            if not np.isfinite(J) or J > EXPLODING * start_cost:
                divergence = _exploding(J, i, start_cost)
                params, state = previous
                break
            norms[i] = [np.linalg.norm(params[f"W{l}"]) for l in range(1, L + 1)]
            if i == num_iterations or divergence is not None:
                break
            previous = params, state
            grads = backward.unchecked(Y, params, cache, lambd, "l2", activation)
            if optimizer == "gd":
                params = gd_step.unchecked(params, grads, learning_rate, weight_decay)
            else:
                params, state = adamw_step.unchecked(params, grads, state, learning_rate, beta1, beta2, eps,
                                                     weight_decay)
                if not all(np.isfinite(s).all() for s in state["v"].values()):
                    divergence = _overflowing(i + 1)
                    params, state = previous
                    break
    if divergence is not None:
        warnings.warn(f"training diverged: {divergence}", DivergenceWarning, stacklevel=3)
    history = {"iteration": np.arange(num_iterations + 1), "frobenius": norms, "divergence": divergence}
    return Run(params, state, history)


def _cost_of(cache, Y, params, lambd):
    """The regularized cost J of a forward pass: the number divergence is judged on."""
    L = len(params) // 2
    weights = [params[f"W{l}"] for l in range(1, L + 1)]
    return float(cross_entropy.unchecked(cache[f"Z{L}"], Y) + l2_penalty.unchecked(weights, lambd, Y.shape[1]))


def _flipping(decay: float) -> str:
    return (f"the decay factor of the weights is {decay:.3g} ≤ 0: each step would flip the sign of W. "
            f"Lower the learning rate, λ or the weight decay")


def _overflowing(i: int) -> str:
    return (f"Adam's estimate of the squared gradients overflowed at iteration {i}: the gradients are too large. "
            f"Lower λ or rescale X")


def _exploding(cost: float, i: int, start: float) -> str:
    if i == 0:
        return "the cost is not finite at the start: X or the parameters are too large. Rescale them"
    grew = f"the cost grew to {cost:.2g}" if np.isfinite(cost) else "the cost became non-finite"
    return f"{grew} at iteration {i} (it started at {start:.3g}): lower the learning rate"


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

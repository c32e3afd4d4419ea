"""Training the L-layer network of `regcourse.network`: full-batch gradient descent, batched over λ.

`train` is the loop a student reads: forward, backward, step, with the L2 term inside backprop and
L1's proximal step after it. `_sweep` runs K values of lambd at once on the available cores, and
`_descend` is the loop both use. `train` returns a `Fit`: final parameters, history, divergence.

Divergence is an outcome, not a crash: a network whose cost becomes non-finite or explodes, or whose
L2 decay factor 1 - alpha lambd / m is <= 0, stops; the others in a batch go on (see `train`).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from .network import (ACTIVATIONS, Cost, backward, cost_from_forward, forward, initialize, layer_dims_of,
                      num_layers)
from .penalties import KINDS, decay_factor, frobenius_norm_sq, soft_threshold

EXPLODING = 10.0   # a cost above EXPLODING x its starting value counts as diverged


class DivergenceWarning(RuntimeWarning):
    """Training diverged for some lambd values (see ``Fit.divergence``)."""


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
                      for c in cost_from_forward.unchecked(cache, Y, self.params, np.squeeze(lam), self.penalty)))

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
        data, pen, total = (np.reshape(x, -1) for x in cost_from_forward.unchecked(cache, Y, params, np.squeeze(lam), penalty))
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



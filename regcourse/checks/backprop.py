"""Checker for notebook 05's backward-pass exercise: the L2-regularized backward pass of an L-layer network.

    check_backward_l2(backward_l2)    backward_l2(Y, params, cache, lambd) -> {"dW1": ..., "db1": ..., ...}
                                        dW[l] = (1/m) dZ[l] A[l-1]^T + (lambd/m) W[l],  db[l] = (1/m) sum_i dZ[l]_i

The cases are small ReLU networks (one with a square layer, so a transposed W is not caught by its shape
alone), trained a few steps so that every b[l] is nonzero. On each the student's gradients go through
`regcourse.gradcheck.gradient_check` on the regularized cost and are compared with the package's
`network.backward`; a wrong answer is told with its gradient-check relative difference and the likely slip.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import gradcheck, network
from . import Exercise, Feedback, fmt

SEED = 511
GRADCHECK_TOL = 1e-5     # accepted: a correct pass measures about 1e-9 here, the slips 0.07 and above (see tests)
NETWORKS = (([2, 4, 3, 1], 30, 5.0),      # layer sizes, examples, lambd
            ([3, 4, 4, 1], 25, 2.0),      # W2 is square
            ([2, 5, 5, 3, 1], 20, 1.5))


def backward_l2_reference(Y, params, cache, lambd):
    """The L2-regularized backward pass of a ReLU network with a sigmoid output: `network.backward`."""
    return network.backward(Y, params, cache, lambd)


def _cases():
    rng = np.random.default_rng(SEED)
    cases = []
    for dims, m, lambd in NETWORKS:
        X = rng.standard_normal((dims[0], m))
        Y = (X[0:1] * X[-1:] + 0.3 * rng.standard_normal((1, m)) > 0).astype(float)
        start = network.initialize(dims, seed=rng)
        params = network.train(X, Y, params=start, lambd=lambd, learning_rate=0.1, num_iterations=50).params
        _, cache = network.forward(X, params)
        cases.append((Y, params, cache, lambd))
    return cases


def _shifted(w_term: Callable[[float, int], float], b_term: Callable[[float, int], float] = lambda lam, m: 0.0):
    """A slip: the data-loss gradients plus w_term(lambd, m) W[l] on dW[l] and b_term(lambd, m) b[l] on db[l]."""
    def slip(Y, params, cache, lambd):
        m = Y.shape[-1]
        grads = network.backward(Y, params, cache, 0.0)
        return {key: grad + (w_term(lambd, m) if key.startswith("dW") else b_term(lambd, m)) * params[key[1:]]
                for key, grad in grads.items()}
    return slip


def _transposed(Y, params, cache, lambd):
    """The slip: dW[l] computed as (1/m) A[l-1] dZ[l]^T + (lambd/m) W[l]^T, the transpose of the right one."""
    return {key: (grad.T if key.startswith("dW") else grad)
            for key, grad in network.backward(Y, params, cache, lambd).items()}


TRANSPOSED = ("did you transpose dW? dW[l] has the shape of W[l], (n[l], n[l-1]): (1/m) dZ[l] A[l-1]ᵀ + (λ/m) W[l].")
MISTAKES = {
    "did you forget the penalty's gradient? Each dW[l] gets + (λ/m) W[l] on top of backprop's (1/m) dZ[l] A[l-1]ᵀ.":
        _shifted(lambda lam, m: 0.0),
    "did you use λ/2m? The cost has λ/2m, but the derivative of ‖W‖² is 2W, so the gradient term is (λ/m) W[l].":
        _shifted(lambda lam, m: lam / (2 * m)),
    "did you forget to divide by m? The gradient term is (λ/m) W[l], not λ W[l].":
        _shifted(lambda lam, m: lam),
    "did you penalize b? The penalty holds the weights only, so db[l] = (1/m) Σ dZ[l] has no λ term.":
        _shifted(lambda lam, m: lam / m, lambda lam, m: lam / m),
    TRANSPOSED: _transposed,
}


@dataclass(frozen=True)
class GradientExercise(Exercise):
    """An exercise whose answer is a dict of gradients, judged by a gradient check on the regularized cost."""

    def _same(self, got, expected) -> bool:
        return (isinstance(got, dict) and got.keys() == expected.keys()
                and all(np.shape(got[k]) == np.shape(expected[k]) and np.allclose(got[k], expected[k], rtol=self.rtol,
                                                                                  atol=self.atol) for k in expected))

    def _judge(self, got, expected, args) -> str | None:
        Y, params, cache, lambd = args
        keys = sorted(expected, key=lambda key: (int(key[2:]), key[1]))      # dW1, db1, dW2, ...
        wanted = f"a dict of gradients with keys {', '.join(keys)}"
        if got is None:
            return f"{self.name} returned None where {wanted} was expected — did you forget to `return` the result?"
        if not isinstance(got, dict) or sorted(map(str, got)) != sorted(keys):
            what = f"a dict with keys {', '.join(map(str, got))}" if isinstance(got, dict) else fmt(got)
            return f"{self.name} returned {what} where {wanted} was expected; name them dW1, db1, ... up to db{len(keys) // 2}."
        for key in keys:
            value = got[key]
            if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
                return f"{self.name} returned {key} = {fmt(value)} where an array of shape {expected[key].shape} was expected."
            if value.shape != expected[key].shape:
                hint = TRANSPOSED if value.shape == expected[key].shape[::-1] else \
                    f"{key} has the shape of {key[1:]}, {expected[key].shape}."
                return (f"{self.name} returned {key} of shape {value.shape} where shape {expected[key].shape} was "
                        f"expected — {hint}")
            if not np.all(np.isfinite(value)):
                return f"{self.name} returned {key} with NaN or infinite entries; look for a division by zero."
        X = cache["A0"]
        difference = gradcheck.gradient_check(lambda p: network.cost(X, Y, p, lambd=lambd).total, params,
                                              {key: np.asarray(got[key], dtype=float) for key in keys})
        if difference < GRADCHECK_TOL and self._same(got, expected):
            return None
        off = [key for key in keys if not np.allclose(got[key], expected[key], rtol=self.rtol, atol=self.atol)]
        where = (f"{self.name} on a {network.layer_dims_of(params)} network ({Y.shape[-1]} examples, λ = {lambd:g}) "
                 f"fails the gradient check: relative difference {difference:.2g}, where a correct backward pass "
                 f"stays below 1e-7 ({', '.join(off)} {'is' if len(off) == 1 else 'are'} off)")
        hint = next((hint for hint, slip in self.mistakes.items() if self._same(got, slip(*copy.deepcopy(args)))), None)
        return f"{where} — {hint}" if hint else f"{where}; {self.otherwise}"


BACKWARD_L2 = GradientExercise(
    "backward_l2", backward_l2_reference, _cases, mistakes=MISTAKES, rtol=1e-6, atol=1e-9,
    otherwise="compare each line with dZ[L] = A[L] − Y, dW[l] = (1/m) dZ[l] A[l-1]ᵀ + (λ/m) W[l], "
              "db[l] = (1/m) Σ dZ[l], dZ[l-1] = W[l]ᵀ dZ[l] * (A[l-1] > 0).")


def check_backward_l2(backward_l2: Callable) -> Feedback:
    """Check backward_l2(Y, params, cache, lambd) with a gradient check on three fresh small networks."""
    return BACKWARD_L2.check(backward_l2)


EXERCISES = (BACKWARD_L2,)

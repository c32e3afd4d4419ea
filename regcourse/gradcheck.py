"""Finite-difference gradient checking: the proof that a backward pass is right.

For every parameter entry theta_i the centred difference
    (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)
approximates dJ/dtheta_i with an error of order eps^2. The check compares the whole vector of
such estimates with the analytic gradient through the relative difference
    ||g_analytic - g_numeric||_2 / (||g_analytic||_2 + ||g_numeric||_2),
which is around 1e-7 or smaller for a correct gradient (eps = 1e-6) and near 1 for a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _validate as v


def _numerical_gradient_args(f, params, eps):
    return {"f": v.function("f", f, "a function of the params dict"), "params": v.array_dict("params", params),
            "eps": v.positive("eps", eps)}


@v.checked(_numerical_gradient_args)
def numerical_gradient(f: Callable[[dict], float], params: dict, eps: float = 1e-6) -> dict:
    """Centred finite differences of the scalar f(params) for every entry; keys get a "d" prefix."""
    grads = {}
    for key, value in params.items():
        probe = dict(params)
        grad = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            shifted = value.copy()
            shifted[idx] = value[idx] + eps
            probe[key] = shifted
            plus = _number(f(probe))
            shifted[idx] = value[idx] - eps
            minus = _number(f(probe))
            grad[idx] = (plus - minus) / (2 * eps)
        grads["d" + key] = grad
    return grads


def relative_difference(a: dict | np.ndarray, b: dict | np.ndarray) -> float:
    """||a - b|| / (||a|| + ||b||) over all entries (dicts are compared key by key)."""
    if isinstance(a, dict) or isinstance(b, dict):
        keys = sorted(a) if isinstance(a, dict) else type(a).__name__
        if not (isinstance(a, dict) and isinstance(b, dict)) or sorted(b) != keys:
            raise ValueError(f"a and b must be dicts with the same keys, got {keys} and "
                             f"{sorted(b) if isinstance(b, dict) else type(b).__name__}")
        a = np.concatenate([_entries(f"a[{k!r}]", a[k]) for k in keys])
        b = np.concatenate([_entries(f"b[{k!r}]", b[k]) for k in keys])
    else:
        a, b = _entries("a", a), _entries("b", b)
    if a.shape != b.shape:
        raise ValueError(f"gradients must have the same number of entries, got {a.size} and {b.size}")
    scale = max(np.abs(a).max(), np.abs(b).max())
    if scale > 1e150:   # the ratio does not change with the scale; this keeps the squares finite
        a, b = a / scale, b / scale
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def gradient_check(f: Callable[[dict], float], params: dict, grads: dict, eps: float = 1e-6) -> float:
    """Relative difference between `grads` (keys "dW1", "db1", ...) and finite differences of f."""
    params = v.array_dict("params", params)
    v.function("f", f, "a function of the params dict")
    if not isinstance(grads, dict) or sorted(grads, key=str) != sorted("d" + k for k in params):
        raise ValueError(f"grads must hold {sorted('d' + k for k in params)}, got "
                         f"{sorted(grads, key=str) if isinstance(grads, dict) else type(grads).__name__}")
    for key, value in params.items():
        if np.shape(grads["d" + key]) != value.shape:
            raise ValueError(f"grads['d{key}'] must have the shape of {key}, {value.shape}, "
                             f"got {np.shape(grads['d' + key])}")
    return relative_difference(grads, numerical_gradient(f, params, v.positive("eps", eps)))


def _entries(name, x) -> np.ndarray:
    """All entries of a gradient as a finite 1-D float array."""
    return v.as_matrix(name, x, ndim=max(np.ndim(x), 1)).ravel()


def _number(value) -> float:
    if np.ndim(value) != 0 or isinstance(value, (complex, np.complexfloating, str, bytes)):
        raise TypeError(f"f must return the cost as one number (e.g. cost(...).total), got "
                        f"{type(value).__name__} of shape {np.shape(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"f must return a finite cost, got {value} (at params shifted by eps)")
    return value

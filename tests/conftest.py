"""Shared test helpers and fixtures.

Each block belongs to one part of the package; add a new block rather than growing another's.
"""

import numpy as np
import pytest


# --- core (data, penalties, logistic, network, gradcheck, optimizers) -------------------------------

def _central_difference(f, x, eps=1e-6):
    """An independent centred difference (f(x + eps e_i) - f(x - eps e_i)) / 2 eps for every entry of x.

    x is an array (the result has its shape) or a dict of arrays (the result has the same keys with
    a "d" prefix, as backward's gradients do). x itself is never modified.
    """
    if isinstance(x, dict):
        return {"d" + key: _central_difference(lambda value, key=key: f({**x, key: value}), value, eps)
                for key, value in x.items()}
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += eps
        minus[idx] -= eps
        grad[idx] = (f(plus) - f(minus)) / (2 * eps)
    return grad


@pytest.fixture
def central_difference():
    """The finite-difference gradient of f at x: central_difference(f, x, eps=1e-6)."""
    return _central_difference

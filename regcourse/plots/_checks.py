"""Argument checks of the plots functions: each message names the argument, what was expected and what came."""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.axes import Axes

from .. import _validate as v

MAX_RESOLUTION = 1000     # grid points per side: a million probabilities
MAX_BINS = 10_000


def axes(ax) -> Axes:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes (e.g. from fig, ax = plt.subplots()), got {v.described(ax)}")
    return ax


def artists(value, kind: type, maker: str):
    """The artists a plot_x function returned, for its update_x partner."""
    if not isinstance(value, kind):
        raise TypeError(f"artists must be the {kind.__name__} that {maker} returned, got {v.described(value)}")
    return value


def text(name: str, value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {v.described(value)}")
    return value


def flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {v.described(value)}")
    return bool(value)


def named(name: str, check, value):
    """check(value), its error message prefixed by `name` (for the shared checks that name their own)."""
    try:
        return check(value)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name}: {error}") from None


def lambdas(value, name: str = "lambdas") -> np.ndarray:
    """A 1-D grid of λ values >= 0 (one per point or curve)."""
    if isinstance(value, (str, bytes)) or np.ndim(value) != 1:
        raise TypeError(f"{name} must be a 1-D sequence of λ values >= 0, got {v.described(value)}")
    return v.lambd_grid(value, name)


def lambd(name: str, value) -> float:
    return v.lambd(value, name)


def integer(name: str, value, minimum: int, maximum: int, why: str = "") -> int:
    return v.at_most(name, v.integer(name, value, minimum=minimum), maximum, why)


def resolution(value) -> int:
    return integer("resolution", value, 2, MAX_RESOLUTION, "grid points per side")


def optional_positive(name: str, value) -> float | None:
    return None if value is None else v.positive(name, value)


def numbers_1d(name: str, value, n: int | None = None, minimum: float | None = None,
               maximum: float | None = None) -> np.ndarray:
    """A finite 1-D array (of n numbers), optionally within [minimum, maximum]."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D array of numbers, got {v.described(value)}")
    arr = v.as_matrix(name, value, ndim=1, cols=n)
    if minimum is not None and (arr < minimum).any():
        raise ValueError(f"{name} must be >= {minimum:g}, got {arr[arr < minimum][0]:g}")
    if maximum is not None and (arr > maximum).any():
        raise ValueError(f"{name} must be <= {maximum:g}, got {arr[arr > maximum][0]:g}")
    return arr


def edges(name: str, value) -> np.ndarray:
    """Bin edges: at least two finite numbers, increasing."""
    arr = numbers_1d(name, value)
    if arr.size < 2 or not (np.diff(arr) > 0).all():
        raise ValueError(f"{name} must be at least two increasing numbers (bin edges), got {arr.tolist()[:6]}")
    return arr


def probabilities(name: str, value) -> np.ndarray:
    """A 2-D grid of probabilities P(y = 1), each in [0, 1]."""
    if isinstance(value, (str, bytes)) or callable(value):
        raise TypeError(f"{name} must be a 2-D array of probabilities, got {v.described(value)}")
    P = v.as_matrix(name, value)
    if (P < 0).any() or (P > 1).any():
        raise ValueError(f"{name} must hold probabilities in [0, 1], got values from {P.min():g} to {P.max():g}")
    return P


def z_values(value, name: str = "z_values") -> np.ndarray:
    """Pre-activations: an array or a list of arrays (e.g. each hidden layer's Z[l]), all finite, as one 1-D array."""
    parts = value if isinstance(value, (list, tuple)) else [value]
    if not parts or any(isinstance(z, (str, bytes)) or z is None for z in parts):
        raise TypeError(f"{name} must be an array of pre-activations z or a list of them, got {v.described(value)}")
    flat = [np.ravel(named(f"{name}", lambda z: v.as_matrix("z", np.ravel(z), ndim=1), z)) for z in parts]
    return np.concatenate(flat)


def loc(name: str, value) -> str:
    """A legend location that matplotlib knows ("upper left", "best", ...)."""
    from matplotlib.legend import Legend
    if not isinstance(value, str) or value not in Legend.codes:
        raise ValueError(f"{name} must be one of {sorted(Legend.codes)}, got {v.described(value)}")
    return value


def aspect(value):
    if isinstance(value, str) and value in ("auto", "equal"):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value) and value > 0:
        return float(value)
    raise ValueError(f"aspect must be 'auto', 'equal' or a positive number, got {v.described(value)}")

"""Input checks shared by the public functions.

Every message names the argument, what was expected and what came, so a student
can act on it without reading a NumPy traceback.
"""

from __future__ import annotations

import numbers

import numpy as np


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"{type(value).__name__} {value!r}"


def as_matrix(name: str, value, *, rows: int | None = None, cols: int | None = None,
              ndim: int = 2, hint: str = "") -> np.ndarray:
    """Return `value` as a finite float array with `ndim` dimensions, or raise.

    `rows` / `cols` fix the size of the last two axes when given.
    """
    if isinstance(value, (str, bytes, dict)) or value is None:
        raise TypeError(f"{name} must be a NumPy array, got {_describe(value)}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {_describe(value)}") from None
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}{hint}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if rows is not None and arr.shape[-2] != rows:
        raise ValueError(f"{name} must have {rows} rows, got shape {arr.shape}{hint}")
    if cols is not None and arr.shape[-1] != cols:
        raise ValueError(f"{name} must have {cols} columns, got shape {arr.shape}{hint}")
    if not np.all(np.isfinite(arr)):
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} must be finite, got {bad} at {np.argwhere(~np.isfinite(arr))[0].tolist()}")
    return arr


def examples_as_columns(X, Y=None, *, n_x: int | None = None):
    """Check X is (n_x, m) and Y is (1, m) with 0/1 labels; return float arrays."""
    X = as_matrix("X", X)
    if n_x is not None and X.shape[0] != n_x:
        rows_hint = " — did you pass examples as rows?" if X.shape[1] == n_x else ""
        raise ValueError(f"X must have shape (n_x, m) with n_x = {n_x}, got {X.shape}{rows_hint}")
    if Y is None:
        return X
    Y = as_matrix("Y", Y)
    m = X.shape[1]
    if Y.shape[0] != 1:
        raise ValueError(f"Y must have shape (1, m), got {Y.shape}"
                         + (" — did you pass labels as a column?" if Y.shape[1] == 1 else ""))
    if Y.shape[1] != m:
        rows_hint = " — did you pass examples as rows?" if X.shape[0] == Y.shape[1] else ""
        raise ValueError(f"X must have shape (n_x, m) with m = Y.shape[1] = {Y.shape[1]}, "
                         f"got {X.shape}{rows_hint}")
    if not np.all((Y == 0) | (Y == 1)):
        raise ValueError(f"Y must hold labels 0 or 1, got values {np.unique(Y)[:5].tolist()}")
    return X, Y


def scalar(name: str, value, *, minimum: float | None = None, strict: bool = False,
           maximum: float | None = None) -> float:
    """A finite real number, optionally bounded below (strictly when `strict`)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
        else:
            raise TypeError(f"{name} must be a number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum:g}, got {value:g}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum:g}, got {value:g}")
    return value


def lambd(value) -> float:
    """The regularization strength: a number >= 0."""
    return scalar("lambd", value, minimum=0.0)


def lambd_grid(value) -> np.ndarray:
    """A scalar or 1-D array of regularization strengths, all >= 0."""
    if np.ndim(value) == 0:
        return np.asarray(lambd(value))
    arr = as_matrix("lambd", value, ndim=1)
    if (arr < 0).any():
        raise ValueError(f"lambd must be >= 0, got {arr[arr < 0][0]:g} in the array")
    return arr


def positive(name: str, value) -> float:
    return scalar(name, value, minimum=0.0, strict=True)


def integer(name: str, value, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def choice(name: str, value, options) -> str:
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {value!r}")
    return value


def rng(seed) -> np.random.Generator:
    """A Generator from an int seed or an existing Generator (never global state)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(integer("seed", seed))


# --- upper limits (added with the plots / explore checks, issue 10) -----------------------------

def at_most(name: str, value, limit, why: str = ""):
    """`value` (a number already checked) when it is <= `limit`, else a ValueError that states the limit."""
    if value > limit:
        reason = f" ({why})" if why else ""
        raise ValueError(f"{name} must be <= {limit:g}{reason}, got {value:g}")
    return value


def described(value) -> str:
    """How a message names a bad value: an array by its shape, anything else by its type and repr."""
    return _describe(value)

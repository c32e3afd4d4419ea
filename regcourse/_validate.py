"""Input checks shared by the public functions.

Every message names the argument, what was expected and what came, so a student
can act on it without reading a NumPy traceback.
"""

from __future__ import annotations

import functools
import inspect
import numbers

import numpy as np

# Upper limits on sizes, so a slip (m = 10**9) ends with a message instead of a MemoryError or a hang.
MAX_EXAMPLES = 1_000_000     # m, the number of examples a generator makes
MAX_UNITS = 10_000           # n[l], the units of one layer
MAX_DEGREE = 40              # the degree of polynomial features: 860 monomials
MAX_ITERATIONS = 10_000_000  # gradient-descent iterations


def checked(check, *, finite: bool = True):
    """Decorator: validate a public function's arguments with `check` before its body runs.

    ``check(**arguments)`` gets every argument by name (defaults filled in), raises a clear error or
    returns the checked arguments as a dict. The body reads as the formula; loops whose inputs were
    checked once call the body directly as ``function.unchecked(...)``. A result that is not finite
    (finite input too large for float64) is an error too, never returned silently, unless
    ``finite=False``: for results that report non-finite values themselves (a diverged run).
    """
    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def with_checks(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = check(**bound.arguments)
            with np.errstate(over="ignore", invalid="ignore"):
                result = fn(**arguments)
            if finite and not _finite(result):
                raise ValueError(_overflow(fn.__name__, arguments))
            return result

        with_checks.unchecked = fn
        return with_checks
    return decorate


def _finite(result) -> bool:
    """Whether every number in a result (a number, an array, or a tuple/list/dict of them) is finite."""
    if isinstance(result, dict):
        return all(_finite(x) for x in result.values())
    if isinstance(result, (tuple, list)):
        return all(_finite(x) for x in result)
    if isinstance(result, (float, np.ndarray, np.floating)) and np.asarray(result).dtype.kind == "f":
        return bool(np.all(np.isfinite(result)))
    return True


def _overflow(function_name: str, arguments: dict) -> str:
    """Name the argument with the largest entries: the one whose size made float64 overflow."""
    sizes = {}
    for name, value in arguments.items():
        arrays = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        entries = [np.max(np.abs(a)) for a in arrays
                   if isinstance(a, (np.ndarray, float)) and np.size(a) and np.asarray(a).dtype.kind == "f"]
        if entries:
            sizes[name] = max(entries)
    name = max(sizes, key=sizes.get) if sizes else "the input"
    size = f" (entries up to {sizes[name]:.3g})" if sizes else ""
    return (f"{name} is too large for {function_name}{size}: the result overflows float64 to inf or NaN; "
            f"rescale {name}")


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"


def as_matrix(name: str, value, *, rows: int | None = None, cols: int | None = None,
              ndim: int = 2, hint: str = "") -> np.ndarray:
    """Return `value` as a finite float array with `ndim` dimensions, or raise.

    `rows` / `cols` fix the size of the last two axes when given.
    """
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise TypeError(f"{name} must be a NumPy array, got {_describe(value)}")
    raw = value if isinstance(value, np.ndarray) else None
    try:
        if raw is None:
            raw = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}") from None
    if raw.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got complex values (dtype {raw.dtype})")
    if raw.dtype.kind not in "biuf":   # object, strings, dates: never converted silently
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__} of dtype {raw.dtype}")
    arr = raw.astype(float, copy=False)
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


_NO_LABELS = object()


def examples_as_columns(X, Y=_NO_LABELS, *, n_x: int | None = None):
    """Check X is (n_x, m) and Y is (1, m) with 0/1 labels; return float arrays (X alone without Y)."""
    X = as_matrix("X", X)
    if n_x is not None and X.shape[0] != n_x:
        rows_hint = " — did you pass examples as rows?" if X.shape[1] == n_x else ""
        raise ValueError(f"X must have shape (n_x, m) with n_x = {n_x}, got {X.shape}{rows_hint}")
    if Y is _NO_LABELS:
        return X
    if Y is None:
        raise TypeError("Y is missing: Y must be the labels, an array of shape (1, m) of 0 and 1, got None")
    return X, labels(Y, m=X.shape[1], X_shape=X.shape)


def labels(Y, *, m: int | None = None, X_shape=None) -> np.ndarray:
    """Y of shape (1, m) holding only 0 and 1 (m = X.shape[1] when given)."""
    Y = as_matrix("Y", Y)
    if Y.shape[0] != 1:
        raise ValueError(f"Y must have shape (1, m), got {Y.shape}"
                         + (" — did you pass labels as a column?" if Y.shape[1] == 1 else ""))
    if m is not None and Y.shape[1] != m:
        if X_shape is None:
            raise ValueError(f"Y must have shape (1, m) with m = {m}, got {Y.shape}")
        rows_hint = " — did you pass examples as rows?" if X_shape[0] == Y.shape[1] else ""
        raise ValueError(f"X must have shape (n_x, m) with m = Y.shape[1] = {Y.shape[1]}, "
                         f"got {X_shape}{rows_hint}")
    if not np.all((Y == 0) | (Y == 1)):
        raise ValueError(f"Y must hold labels 0 or 1, got values {np.unique(Y)[:5].tolist()}")
    return Y


def scalar(name: str, value, *, minimum: float | None = None, strict: bool = False,
           maximum: float | None = None) -> float:
    """A finite real number, optionally bounded below (strictly when `strict`)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, (complex, np.complexfloating)):
        raise TypeError(f"{name} must be a real number, got complex {value!r}")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum:g}, got {value:g}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum:g}, got {value:g}")
    return value


def lambd(value, name: str = "lambd") -> float:
    """The regularization strength: a number >= 0."""
    return scalar(name, value, minimum=0.0)


def lambd_grid(value, name: str = "lambd") -> np.ndarray:
    """A scalar or 1-D array of regularization strengths, all >= 0."""
    if isinstance(value, (list, tuple, np.ndarray)) and np.ndim(np.asarray(value, dtype=object)) > 0:
        arr = as_matrix(name, value, ndim=1)
    else:
        return np.asarray(lambd(value, name))
    if (arr < 0).any():
        raise ValueError(f"{name} must be >= 0, got {arr[arr < 0][0]:g} in the array")
    return arr


def positive(name: str, value) -> float:
    return scalar(name, value, minimum=0.0, strict=True)


def integer(name: str, value, *, minimum: int = 0, maximum: int | None = None) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum:,}, got {value:,}")
    return int(value)


def flag(name: str, value) -> bool:
    """True or False, nothing else (1 and "yes" are refused)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return value


def function(name: str, value, expected: str):
    if not callable(value):
        raise TypeError(f"{name} must be {expected}, got {_describe(value)}")
    return value


def layer_dims(value, *, output_one: bool = True) -> list[int]:
    """[n_x, n[1], ..., n[L]]: at least two positive integers, each at most MAX_UNITS."""
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__") or np.ndim(value) == 0:
        raise TypeError(f"layer_dims must be a list of layer sizes like [2, 20, 3, 1], got {value!r}")
    dims = [integer(f"layer_dims[{i}]", n, minimum=1, maximum=MAX_UNITS) for i, n in enumerate(value)]
    if len(dims) < 2:
        raise ValueError(f"layer_dims must list at least the input and output sizes, got {dims}")
    if output_one and dims[-1] != 1:
        raise ValueError(f"layer_dims must end with 1 (one sigmoid output unit), got {dims}")
    return dims


def network_params(params) -> dict[str, np.ndarray]:
    """A network's parameters {"W1", "b1", ..., "WL", "bL"}: finite, W[l] (n[l], n[l-1]) and b[l] (n[l], 1)
    with matching sizes, or stacks of them with a leading axis (K, ...) from a batched run."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict {{'W1': ..., 'b1': ..., ...}}, got {type(params).__name__}")
    L = len(params) // 2
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if L == 0 or set(params) != expected:
        raise ValueError(f"params must hold W1, b1, ..., WL, bL, got keys {sorted(params, key=str)}")
    out = {}
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        nd = np.ndim(W) if isinstance(W, np.ndarray) else 2
        W = as_matrix(f"W{l}", W, ndim=nd if nd in (2, 3) else 2)
        b = as_matrix(f"b{l}", b, ndim=W.ndim, rows=W.shape[-2], cols=1,
                      hint=f" (b{l} must be (n[{l}], 1) = ({W.shape[-2]}, 1))")
        if l > 1 and W.shape[-1] != out[f"W{l - 1}"].shape[-2]:
            raise ValueError(f"W{l} must have shape (n[{l}], n[{l - 1}]) with n[{l - 1}] = "
                             f"{out[f'W{l - 1}'].shape[-2]}, got {W.shape}")
        if W.ndim == 3 and W.shape[0] != out.get("W1", W).shape[0]:
            raise ValueError(f"W{l} must stack as many networks as W1, {out['W1'].shape[0]}, got {W.shape[0]}")
        out[f"W{l}"], out[f"b{l}"] = W, b
    return out


def array_dict(name: str, value) -> dict[str, np.ndarray]:
    """A non-empty dict of finite arrays (at least 1-D), e.g. any model's parameters or gradients."""
    if not isinstance(value, dict) or not value:
        raise TypeError(f"{name} must be a non-empty dict of arrays like {{'W1': ..., 'b1': ...}}, "
                        f"got {_describe(value)}")
    return {key: as_matrix(str(key), x, ndim=max(np.ndim(x) if isinstance(x, np.ndarray) else
                                                  np.ndim(np.asarray(x, dtype=object)), 1))
            for key, x in value.items()}


def gradients_of(name: str, grads, params) -> dict[str, np.ndarray]:
    """Gradients {"dW1": ..., "db1": ...} matching `params` key by key and shape by shape."""
    expected = sorted("d" + key for key in params)
    if not isinstance(grads, dict):
        raise TypeError(f"{name} must be a dict {{'dW1': ..., 'db1': ..., ...}} with keys {expected}, "
                        f"got {type(grads).__name__}")
    if sorted(grads, key=str) != expected:
        raise ValueError(f"{name} must hold the keys {expected}, got {sorted(grads, key=str)}")
    out = {}
    for key, value in params.items():
        g = as_matrix(f"{name}['d{key}']", grads["d" + key], ndim=value.ndim)
        if g.shape != value.shape:
            raise ValueError(f"{name}['d{key}'] must have the shape of {key}, {value.shape}, got {g.shape}")
        out["d" + key] = g
    return out


def choice(name: str, value, options) -> str:
    if not isinstance(value, str) or value not in options:
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

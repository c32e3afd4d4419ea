"""regcourse — the NumPy code behind an interactive course on regularization in neural networks.

Notation contract (used by every module and notebook):

* Examples are columns: X is (n_x, m), Y is (1, m) with labels 0/1, A[l] and Z[l] are (n[l], m).
* Layers are numbered 1..L. W[l] is (n[l], n[l-1]) and b[l] is (n[l], 1); parameters live in a
  dict {"W1": ..., "b1": ..., ...}. (Some texts store W[l] transposed, (n[l-1], n[l]); the
  Frobenius norm ||W||_F^2 = sum_ij W_ij^2 is the same either way.)
* The regularization strength is spelled ``lambd`` (``lambda`` is a Python keyword), the learning
  rate ``learning_rate`` (alpha in formulas), the number of examples ``m``.
* L2:  J = (1/m) sum_i L(yhat_i, y_i) + (lambd / 2m) sum_l ||W[l]||_F^2,
       dW[l] = dW[l]_backprop + (lambd / m) W[l],
       so a gradient step is W[l] := (1 - alpha lambd / m) W[l] - alpha dW[l]_backprop  (weight decay).
* L1:  J = (1/m) sum_i L(yhat_i, y_i) + (lambd / m) sum_l sum_ij |W[l]_ij|, trained with the
       proximal (soft-threshold) step, which gives exact zeros.
* Biases are not penalized (logistic regression has a switch to show it barely matters).

Modules, one concept each: data, penalties, logistic, network, training, gradcheck, optimizers,
conventions, plots, style, explore, checks. Importing the package changes nothing: no seeding, no rcParams, no printing.
"""

import importlib
import inspect

from . import conventions, data, gradcheck, logistic, network, optimizers, penalties, training

__all__ = ["conventions", "data", "gradcheck", "logistic", "network", "optimizers", "penalties", "plots", "style",
           "training"]
__version__ = "0.1.0"

_ON_FIRST_USE = ("plots", "style")   # they import matplotlib, so they load when first used: regcourse.style.use()


def __getattr__(name):
    if name in _ON_FIRST_USE:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def show_source(obj):
    """The source of a regcourse function or class, syntax-highlighted in a notebook.

    For a function with checked input (``@v.checked``) it shows the function as written: the
    decorator line, then the body that runs.
    """
    if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj)):
        raise TypeError(f"obj must be a regcourse function or class, got {type(obj).__name__} {obj!r}"[:200])
    from IPython.display import Code

    return Code(inspect.getsource(obj), language="python")

"""λ on an axis and numbers as the course writes them; the opaque legend every panel uses."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from .. import _validate as v
from . import _checks as checks


def format_lambda(lambd: float, digits: int = 3) -> str:
    """λ as people write it: 0, 0.001, 0.0016, 0.1, 1, 100 (no 1e+02, no trailing zeros)."""
    return format_value(v.lambd(lambd), digits, floor=0.0)


def format_value(x: float, digits: int = 3, *, decimals: int | None = None, floor: float = 1e-6) -> str:
    """A number to the precision shown: `digits` significant digits (or `decimals` places), plain
    between 1e-4 and 1e5, else like 1.5e-5; 0 as "0", and a value too small to show as "< floor"
    (e.g. "< 1e-6"; "< 0.001" with 3 decimals), never as 1.84e-37.
    """
    x = v.scalar("x", x)
    digits = v.integer("digits", digits, minimum=1)
    floor = v.scalar("floor", floor, minimum=0.0)
    if decimals is not None:
        decimals = v.integer("decimals", decimals)
        floor = max(floor, 10.0 ** -decimals)
    if x == 0:
        return "0"
    if abs(x) < floor:
        return ("> -" if x < 0 else "< ") + f"{floor:g}".replace("e-0", "e-")
    if decimals is not None:
        return f"{x:.{decimals}f}"
    if 1e-4 <= abs(x) < 1e5:
        return np.format_float_positional(x, precision=digits, unique=False, fractional=False, trim="-")
    return np.format_float_scientific(x, precision=digits - 1, unique=False, trim="-", exp_digits=1).replace(".e", "e")


def lambda_axis(ax: Axes, lambdas, axis: str = "x", label: str = "λ") -> None:
    """Make `axis` a λ axis: logarithmic for λ > 0, with λ = 0 shown at the left end.

    Uses matplotlib's symlog scale with the linear part [0, smallest positive λ] squeezed into
    half a decade, ticks at 0 and at the powers of ten, labelled 0, 0.001, ..., 100.
    """
    checks.axes(ax)
    lambdas = checks.lambdas(lambdas)
    v.choice("axis", axis, ("x", "y"))
    checks.text("label", label)
    positive = lambdas[lambdas > 0]
    linthresh = positive.min() if positive.size else 1e-3
    high = max(lambdas.max(), 10 * linthresh)
    set_scale = ax.set_xscale if axis == "x" else ax.set_yscale
    set_scale("symlog", linthresh=linthresh, linscale=0.5)
    decades = 10.0 ** np.arange(np.ceil(np.log10(linthresh) - 1e-9), np.floor(np.log10(high) + 1e-9) + 1)
    ticks = np.concatenate([[0.0], decades])
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(FixedLocator(ticks))
    target.set_minor_locator(NullLocator())
    target.set_major_formatter(FuncFormatter(lambda value, _pos: format_value(value, floor=0.0)
                                             if np.isfinite(value) else ""))
    (ax.set_xlim if axis == "x" else ax.set_ylim)(-0.25 * linthresh, high * 1.4)
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(label)


def opaque_legend(ax, **kwargs):
    """A legend with an opaque, square frame (an explorer can then keep its pixels between redraws)."""
    legend = ax.legend(frameon=True, framealpha=1.0, fancybox=False, fontsize="small", **kwargs)
    legend.get_frame().set_edgecolor("#BBBBBB")
    legend.get_frame().set_linewidth(0.6)
    return legend

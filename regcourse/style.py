"""Figure style for the course: a colour-blind-safe palette, projector and dark variants.

Nothing here runs at import time. Call ``style.use()`` (or ``with style.context(...):``) to apply
the style; ``style.rc_params(...)`` returns the settings without applying them.

The palette is Okabe & Ito's (2008), chosen so that the common forms of colour blindness can
still tell every pair of colours apart. The two classes are drawn blue and vermillion *and* with
two marker shapes, so a figure still reads in greyscale.
"""

from __future__ import annotations

import contextlib

import matplotlib as mpl
from cycler import cycler

# Okabe–Ito colours by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

# Line colour cycle: the strongest contrasts first.
PALETTE = tuple(OKABE_ITO[name] for name in
                ("blue", "vermillion", "bluish green", "orange", "reddish purple", "sky blue", "black"))

# Class y = 0 and class y = 1: colour and marker shape (both, so no one depends on colour alone).
CLASS_COLORS = (OKABE_ITO["blue"], OKABE_ITO["vermillion"])
CLASS_MARKERS = ("o", "^")

# Colours with a fixed meaning across the course's figures.
TRAIN_COLOR = OKABE_ITO["blue"]
DEV_COLOR = OKABE_ITO["vermillion"]
ZERO_COLOR = OKABE_ITO["orange"]        # exact zeros in weight histograms
BAND_COLOR = OKABE_ITO["bluish green"]  # the near-linear band of tanh
INACTIVE_COLOR = "#E6E6E6"              # a unit whose activity is ~0

_DARK_PALETTE = tuple(OKABE_ITO[name] for name in
                      ("sky blue", "orange", "bluish green", "yellow", "reddish purple", "vermillion"))


def rc_params(projector: bool = False, dark: bool = False) -> dict:
    """The rcParams the course style sets (nothing is applied).

    projector=True: every text at least 16 pt, thicker lines and bigger markers, for the back row.
    dark=True: dark background, light text and axes.
    """
    projector, dark = _flag("projector", projector), _flag("dark", dark)
    size = 18 if projector else 11
    small = 16 if projector else 10
    params = {
        "axes.prop_cycle": cycler(color=_DARK_PALETTE if dark else PALETTE),
        "image.cmap": "cividis",
        "font.size": size,
        "axes.titlesize": size + (2 if projector else 1),
        "axes.labelsize": size,
        "xtick.labelsize": small,
        "ytick.labelsize": small,
        "legend.fontsize": small,
        "legend.title_fontsize": small,
        "figure.titlesize": size + 2,
        "lines.linewidth": 3.0 if projector else 1.8,
        "lines.markersize": 9 if projector else 6,
        "patch.linewidth": 1.2 if projector else 0.8,
        "axes.linewidth": 1.6 if projector else 0.8,
        "xtick.major.width": 1.6 if projector else 0.8,
        "ytick.major.width": 1.6 if projector else 0.8,
        "xtick.major.size": 6 if projector else 3.5,
        "ytick.major.size": 6 if projector else 3.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlelocation": "left",
        "axes.grid": False,
        "grid.alpha": 0.3,
        "legend.frameon": False,
        "figure.dpi": 100,
        "savefig.dpi": 150,
    }
    if dark:
        fg, bg, panel = "#EEEEEE", "#111418", "#1B1F24"
        params.update({
            "figure.facecolor": bg,
            "savefig.facecolor": bg,
            "axes.facecolor": panel,
            "axes.edgecolor": fg,
            "axes.labelcolor": fg,
            "axes.titlecolor": fg,
            "text.color": fg,
            "xtick.color": fg,
            "ytick.color": fg,
            "xtick.labelcolor": fg,
            "ytick.labelcolor": fg,
            "grid.color": "#888888",
            "legend.facecolor": panel,
            "legend.edgecolor": fg,
            "legend.labelcolor": fg,
        })
    return params


def use(projector: bool = False, dark: bool = False) -> None:
    """Apply the course style to matplotlib's rcParams (``rc_params`` shows what it sets).

    Returns nothing, so a notebook cell ending with ``style.use()`` prints nothing.
    """
    mpl.rcParams.update(rc_params(projector, dark))


@contextlib.contextmanager
def context(projector: bool = False, dark: bool = False):
    """The course style inside a ``with`` block only; rcParams are restored afterwards."""
    with mpl.rc_context(rc_params(projector, dark)):
        yield


def _flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return value

"""Figure style for the course: a colour-blind-safe palette, projector and dark variants.

Nothing here runs at import time. Call ``style.use()`` (or ``with style.context(...):``) to apply
the style; ``style.rc_params(...)`` returns the settings without applying them.

Projector mode for a whole session: set the environment variable REGCOURSE_STYLE to "projector",
"dark" or "projector-dark" before the kernel starts (``python3 course.py lab --projector [--dark]``
and ``python3 course.py present`` do). Every ``style.use()`` and ``style.context()`` then applies it,
so a notebook's own setup cell, ``style.use()``, cannot undo it by accident; arguments can only add
to it. Explorers built while the projector style is in effect get bigger controls (`widget_css`).

The palette is Okabe & Ito's (2008), chosen so that the common forms of colour blindness can
still tell every pair of colours apart. The two classes are drawn blue and vermillion *and* with
two marker shapes, so a figure still reads in greyscale.
"""

from __future__ import annotations

import contextlib
import os
import sys

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

# The environment variable that turns the projector and/or dark style on for a whole session.
ENV_VAR = "REGCOURSE_STYLE"
ENV_VALUES = {"": (False, False), "default": (False, False), "projector": (True, False),
              "dark": (False, True), "projector-dark": (True, True)}

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
        "figure.constrained_layout.use": True,    # every figure laid out to fit its labels (see `use`)
        "figure.dpi": 100,
        "savefig.dpi": 150,
    }
    fg, bg, panel = "#EEEEEE", "#111418", "#1B1F24"
    dark_keys = {
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
    }
    # Light: matplotlib's own colours, so that use() after use(dark=True) brings every colour back.
    params.update(dark_keys if dark else {key: mpl.rcParamsDefault[key] for key in dark_keys})
    return params


def use(projector: bool = False, dark: bool = False) -> None:
    """Apply the course style to matplotlib's rcParams (``rc_params`` shows what it sets).

    The environment variable REGCOURSE_STYLE (see `from_environment`) adds to the arguments: with
    REGCOURSE_STYLE=projector, ``use()`` applies the projector style. Returns nothing, so a notebook
    cell ending with ``style.use()`` prints nothing.

    Every figure gets constrained layout, which fits titles, labels and legends into the figure. In a
    notebook, the inline backend then shows each figure whole (`inline_figures_whole`): by default it
    crops figures to a tight bounding box, which draws every figure twice.
    """
    mpl.rcParams.update(rc_params(*_with_environment(projector, dark)))
    inline_figures_whole()


def inline_figures_whole() -> None:
    """In an IPython session (a notebook's kernel): have the inline backend save figures at their own size
    (bbox_inches=None) instead of cropped to a tight bounding box, which costs a second drawing of every
    figure. The course's figures are laid out by constrained layout, so cropping has nothing to remove.
    Does nothing outside IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    from IPython.core.pylabtools import select_figure_formats
    from matplotlib_inline.config import InlineBackend

    backend = InlineBackend.instance(parent=shell)
    backend.print_figure_kwargs = {**backend.print_figure_kwargs, "bbox_inches": None}
    select_figure_formats(shell, backend.figure_formats, **backend.print_figure_kwargs)


@contextlib.contextmanager
def context(projector: bool = False, dark: bool = False):
    """The course style inside a ``with`` block only (REGCOURSE_STYLE added, as in `use`); rcParams
    are restored afterwards."""
    with mpl.rc_context(rc_params(*_with_environment(projector, dark))):
        yield


def session(projector: bool = True, dark: bool = False) -> None:
    """The projector (and/or dark) style for the rest of this Python session: sets REGCOURSE_STYLE in
    this process's environment, then applies it. Every later ``use()`` keeps it (a notebook's own setup
    cell included), and explorers built from now on get the projector controls."""
    projector, dark = _flag("projector", projector), _flag("dark", dark)
    value = {(True, True): "projector-dark", (True, False): "projector", (False, True): "dark"}.get(
        (projector, dark), "default")
    os.environ[ENV_VAR] = value
    use()


def from_environment() -> tuple[bool, bool]:
    """(projector, dark) as the environment variable REGCOURSE_STYLE asks: unset or "" or "default"
    (neither), "projector", "dark" or "projector-dark"."""
    value = os.environ.get(ENV_VAR, "")
    key = value.strip().lower()
    if key not in ENV_VALUES:
        raise ValueError(f"the environment variable {ENV_VAR} must be one of "
                         f"{', '.join(repr(k) for k in ENV_VALUES if k)} or unset, got {value!r}")
    return ENV_VALUES[key]


def in_effect() -> tuple[bool, bool] | None:
    """(projector, dark) of the course style matplotlib's rcParams hold now, or None when they hold
    none of the course's four styles (e.g. before any ``use()``)."""
    for projector in (True, False):
        for dark in (True, False):
            wanted = rc_params(projector, dark)
            if all(mpl.rcParams[key] == value for key, value in wanted.items() if key != "axes.prop_cycle"):
                return projector, dark
    return None


# Controls for the back row (DESIGN: slider >= 600 px, handle >= 28 px, buttons and text >= 18 px). The
# ipywidgets theme variables are set on the explorer's box, so every control inside it follows.
PROJECTOR_CSS = """\
.regcourse-projector {
  --jp-widgets-font-size: 20px;
  --jp-widgets-inline-height: 44px;
  --jp-widgets-inline-label-width: 110px;
  --jp-widgets-inline-width: 320px;
  --jp-widgets-slider-handle-size: 32px;
  --jp-widgets-slider-track-thickness: 8px;
  --jp-widgets-readout-width: 110px;
  font-size: 20px;
  max-width: 100%;
}
.regcourse-projector .widget-hbox { flex-wrap: wrap; row-gap: 8px; }
.regcourse-projector .widget-label, .regcourse-projector .widget-readout,
.regcourse-projector .widget-html-content, .regcourse-projector .jupyter-button,
.regcourse-projector select { font-size: 20px; }
.regcourse-projector .jupyter-button { height: 44px; min-width: 72px; width: auto !important; padding: 0 16px; }
.regcourse-projector .widget-dropdown { width: auto !important; }
.regcourse-projector .widget-dropdown > select { min-width: 12em; }
.regcourse-projector .regcourse-speed { width: auto !important; }
.regcourse-projector .regcourse-speed input { width: 5.5em; flex: 0 0 auto; }
.regcourse-projector .regcourse-lambda { width: 900px !important; max-width: 100%; }
.regcourse-projector .regcourse-lambda .slider-container { min-width: 620px; }
.regcourse-projector .regcourse-lambda .noUi-handle { width: 32px; height: 32px; top: -12px; right: -16px;
  border-radius: 50%; }
.regcourse-projector .regcourse-status { font-size: 20px; line-height: 1.4; }
.regcourse-projector .regcourse-figure, .regcourse-projector .regcourse-figure img {
  max-width: 100% !important; height: auto !important; }
"""


def widget_css() -> str:
    """The CSS that scales an explorer's controls for a projector (applies inside `.regcourse-projector`)."""
    return PROJECTOR_CSS


def dress(box) -> None:
    """Give an explorer's box (an ipywidgets Box) the projector controls, when the projector style is in
    effect: the class `regcourse-projector` (and `regcourse-dark` with the dark style) and the CSS."""
    import ipywidgets as widgets

    if not isinstance(box, widgets.Box):
        raise TypeError(f"box must be an ipywidgets Box (an explorer's widget), got {type(box).__name__}")
    mode = in_effect()
    if mode is None or not mode[0]:
        return

    box.add_class("regcourse-projector")
    if mode[1]:
        box.add_class("regcourse-dark")
    css = widgets.HTML(f"<style>{widget_css()}</style>", layout=widgets.Layout(display="none"))
    css.add_class("regcourse-css")
    box.children = (*box.children, css)


def _with_environment(projector, dark) -> tuple[bool, bool]:
    env_projector, env_dark = from_environment()
    return _flag("projector", projector) or env_projector, _flag("dark", dark) or env_dark


def _flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return value

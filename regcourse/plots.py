"""Pure drawing functions: ``plot_x(ax, ...)`` draws on the axes it is given and returns its artists.

Nothing here calls ``plt.show()`` or touches pyplot's current figure. Each plot that an explorer
animates has an ``update_x(artists, ...)`` partner that changes the same artists in place
(``set_data``, ``set_segments``, ``set_height``), so a slider move never creates new artists.

Notation: X is (2, m) with examples as columns, Y is (1, m) with labels 0/1, W[l] is (n[l], n[l-1]),
``lambd`` is the regularization strength λ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import contourpy
import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, StepPatch
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from . import _validate as v
from .style import (BAND_COLOR, CLASS_COLORS, CLASS_MARKERS, DEV_COLOR, INACTIVE_COLOR, OKABE_ITO,
                    TRAIN_COLOR, ZERO_COLOR)


def _tint(color, amount):
    """`color` mixed with white: amount 0 gives white, 1 the colour itself."""
    rgb = np.array(to_rgba(color)[:3])
    return tuple(1 - amount * (1 - rgb))


# P(y = 1): pale blue (class 0) through white (undecided) to pale vermillion (class 1).
PROBABILITY_CMAP = LinearSegmentedColormap.from_list(
    "regcourse_probability", [_tint(CLASS_COLORS[0], 0.55), (1, 1, 1), _tint(CLASS_COLORS[1], 0.55)])

# Unit activity: light grey (≈ 0, a unit that has faded) to strong blue (fully active).
ACTIVITY_CMAP = LinearSegmentedColormap.from_list(
    "regcourse_activity", [INACTIVE_COLOR, OKABE_ITO["sky blue"], OKABE_ITO["blue"]])


# --- λ on an axis --------------------------------------------------------------------------------

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
    lambdas = v.lambd_grid(np.atleast_1d(lambdas))
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
    target.set_major_formatter(FuncFormatter(lambda value, _pos: format_value(value, floor=0.0)))
    (ax.set_xlim if axis == "x" else ax.set_ylim)(-0.25 * linthresh, high * 1.4)
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(label)


# --- decision boundary ---------------------------------------------------------------------------

class Grid(NamedTuple):
    """A square grid over the data: xx, yy are (r, r); points is (2, r*r), examples as columns."""

    xx: np.ndarray
    yy: np.ndarray
    points: np.ndarray


def grid_for(X, resolution: int = 120, margin: float = 0.15) -> Grid:
    """A resolution × resolution grid covering X (2, m) plus `margin` × its range on each side."""
    X = v.examples_as_columns(X, n_x=2)
    resolution = v.integer("resolution", resolution, minimum=2)
    margin = v.scalar("margin", margin, minimum=0.0)
    low, high = X.min(axis=1), X.max(axis=1)
    pad = margin * np.maximum(high - low, 1e-9)
    x = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    y = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    xx, yy = np.meshgrid(x, y)
    return Grid(xx, yy, np.vstack([xx.ravel(), yy.ravel()]))


def boundary_segments(xx, yy, P, level: float = 0.5) -> list[np.ndarray]:
    """The contour P = `level` (the decision boundary) as a list of (n, 2) arrays of (x, y) points."""
    P = _grid_values("P", P, xx)
    generator = contourpy.contour_generator(xx, yy, P, line_type=contourpy.LineType.Separate)
    return [np.asarray(line) for line in generator.lines(level)]


class DecisionBoundaryArtists(NamedTuple):
    image: AxesImage               # P(y = 1) on the grid
    boundary: LineCollection       # the P = 0.5 contour
    points: tuple[PathCollection, ...]  # one scatter per class (y = 0, y = 1)


def plot_decision_boundary(ax: Axes, X, Y, proba, *, grid: Grid | None = None, resolution: int = 120,
                           legend: bool = True, point_size: float | None = None,
                           aspect: str = "auto") -> DecisionBoundaryArtists:
    """Probability map P(y = 1 | x), the decision boundary P = 0.5, and the labelled points.

    `proba` is either a function mapping points (2, n) to probabilities (1, n) — e.g.
    ``fit.predict_proba`` — or an array of P already computed on `grid` (shape (r, r)).
    Class 0 is drawn as blue circles, class 1 as vermillion triangles.
    """
    X, Y = v.examples_as_columns(X, Y, n_x=2)
    grid = grid_for(X, resolution) if grid is None else grid
    P = _evaluate(proba, grid)
    extent = (grid.xx[0, 0], grid.xx[0, -1], grid.yy[0, 0], grid.yy[-1, 0])
    image = ax.imshow(P, origin="lower", extent=extent, cmap=PROBABILITY_CMAP, vmin=0.0, vmax=1.0,
                      interpolation="bilinear", aspect=aspect, zorder=0)
    boundary = LineCollection(boundary_segments(grid.xx, grid.yy, P), colors="black",   # the map is light in any theme
                              linewidths=1.4 * mpl.rcParams["lines.linewidth"], zorder=2, label="P = 0.5")
    ax.add_collection(boundary, autolim=False)
    size = point_size if point_size is not None else 1.6 * mpl.rcParams["lines.markersize"] ** 2
    points = tuple(
        ax.scatter(X[0, Y[0] == c], X[1, Y[0] == c], s=size, c=CLASS_COLORS[c], marker=CLASS_MARKERS[c],
                   edgecolors="white", linewidths=0.6, zorder=3, label=f"y = {c}")
        for c in (0, 1))
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if legend:
        _opaque_legend(ax, handles=[*points, boundary], loc="lower left", handlelength=1.2, borderpad=0.3,
                       labelspacing=0.2)
    return DecisionBoundaryArtists(image, boundary, points)


def probability_rgba(P) -> np.ndarray:
    """P(y = 1) in the colours of PROBABILITY_CMAP, as (..., 4) uint8: ready for image.set_data."""
    return PROBABILITY_CMAP(np.clip(np.asarray(P, dtype=float), 0.0, 1.0), bytes=True)


def _opaque_legend(ax, **kwargs):
    """A legend with an opaque, square frame (an explorer can then keep its pixels between redraws)."""
    legend = ax.legend(frameon=True, framealpha=1.0, fancybox=False, fontsize="small", **kwargs)
    legend.get_frame().set_edgecolor("#BBBBBB")
    legend.get_frame().set_linewidth(0.6)
    return legend


def update_decision_boundary(artists: DecisionBoundaryArtists, P, segments=None) -> None:
    """Show another probability map (and its 0.5 contour) in the same artists, in place.

    `P` is the (r, r) grid of probabilities, or its colours from probability_rgba (faster to draw).
    `segments` is the 0.5 contour from boundary_segments; it is computed when not given.
    """
    artists.image.set_data(P)
    if segments is None:
        if np.ndim(P) != 2:
            raise ValueError("segments must be given when P is an RGBA image")
        xmin, xmax, ymin, ymax = artists.image.get_extent()
        r, c = np.shape(P)
        xx, yy = np.meshgrid(np.linspace(xmin, xmax, c), np.linspace(ymin, ymax, r))
        segments = boundary_segments(xx, yy, P)
    artists.boundary.set_segments(segments)


def _evaluate(proba, grid: Grid) -> np.ndarray:
    if callable(proba):
        P = np.asarray(proba(grid.points), dtype=float)
        if P.size != grid.xx.size:
            raise ValueError(f"proba must return one probability per grid point ({grid.xx.size}), "
                             f"got shape {P.shape}")
        return P.reshape(grid.xx.shape)
    return _grid_values("proba", proba, grid.xx)


def _grid_values(name, P, xx) -> np.ndarray:
    P = v.as_matrix(name, P)
    if P.shape != np.shape(xx):
        raise ValueError(f"{name} must have the grid's shape {np.shape(xx)}, got {P.shape}")
    return P


def small_multiples(fig_or_axes, X, Y, probas: Sequence, lambdas: Sequence[float], *,
                    grid: Grid | None = None, train_accuracy: Sequence[float] | None = None,
                    dev_accuracy: Sequence[float] | None = None,
                    resolution: int = 100) -> list[DecisionBoundaryArtists]:
    """One row of decision boundaries, one per λ, titled "λ = 0", "λ = 0.1", ... with accuracies.

    `fig_or_axes` is a Figure (a 1 × n row of axes is added to it) or a sequence of n axes.
    `probas[i]` is a probability function or a P grid for `lambdas[i]` (see plot_decision_boundary).
    The static picture that stands next to each explorer, for readers without a live kernel.
    """
    n = len(lambdas)
    if len(probas) != n:
        raise ValueError(f"probas must hold one entry per λ ({n}), got {len(probas)}")
    for name, values in (("train_accuracy", train_accuracy), ("dev_accuracy", dev_accuracy)):
        if values is not None and len(values) != n:
            raise ValueError(f"{name} must hold one value per λ ({n}), got {len(values)}")
    if isinstance(fig_or_axes, Figure):
        axes = np.atleast_1d(fig_or_axes.subplots(1, n, sharex=True, sharey=True))
    else:
        axes = list(np.ravel(fig_or_axes))
        if len(axes) != n:
            raise ValueError(f"fig_or_axes must hold one axes per λ ({n}), got {len(axes)}")
    grid = grid_for(X, resolution) if grid is None else grid
    out = []
    for i, (ax, proba, lambd) in enumerate(zip(axes, probas, lambdas)):
        out.append(plot_decision_boundary(ax, X, Y, proba, grid=grid, legend=(i == 0)))
        title = f"λ = {format_lambda(lambd)}"
        scores = [f"{name} {100 * values[i]:.0f}%" for name, values
                  in (("train", train_accuracy), ("dev", dev_accuracy)) if values is not None]
        ax.set_title(title + ("\n" + " · ".join(scores) if scores else ""), loc="center")
        if i > 0:
            ax.set_ylabel("")
    return out


# --- weights -------------------------------------------------------------------------------------

def weight_list(weights) -> list[np.ndarray]:
    """The weight matrices in `weights`: one array, a list, or a params dict (W1, W2, ...)."""
    if isinstance(weights, Mapping):
        keys = sorted((k for k in weights if k.startswith("W") and k[1:].isdigit()), key=lambda k: int(k[1:]))
        if not keys:
            raise ValueError(f"weights must hold W1, W2, ... when given as a dict, got keys {list(weights)}")
        return [np.asarray(weights[k], dtype=float) for k in keys]
    if isinstance(weights, np.ndarray):
        return [np.asarray(weights, dtype=float)]
    if isinstance(weights, (list, tuple)) and weights:
        return [np.asarray(W, dtype=float) for W in weights]
    raise TypeError(f"weights must be an array, a non-empty list of arrays or a params dict, "
                    f"got {type(weights).__name__}")


class HistogramCounts(NamedTuple):
    counts: np.ndarray   # (n_groups, n_bins): non-zero weights per bin, one row per layer (or pooled)
    n_zero: int          # weights exactly equal to 0
    n_total: int


def weight_histogram_counts(weights, edges, per_layer: bool = False) -> HistogramCounts:
    """Counts of the non-zero weights in the bins `edges` (values beyond are put in the end bins).

    Exact zeros are counted apart: an L1 penalty makes many, and they deserve their own bar.
    """
    edges = np.asarray(edges, dtype=float)
    groups = [W.ravel() for W in weight_list(weights)]
    if not per_layer:
        groups = [np.concatenate(groups)]
    counts = np.array([np.histogram(np.clip(w[w != 0], edges[0], edges[-1]), edges)[0] for w in groups])
    n_zero = int(sum(np.count_nonzero(w == 0) for w in groups))
    return HistogramCounts(counts, n_zero, int(sum(w.size for w in groups)))


class HistogramArtists(NamedTuple):
    bars: list[StepPatch]      # filled steps: one per layer (stacked) or one pooled
    zero_bar: Rectangle        # the exact zeros, drawn apart at w = 0
    text: Text                 # the axes' (left) title: "weights: n of N exactly 0"
    edges: np.ndarray
    overflow: Text             # "↑412" on a bar cut at the top of the axes (empty when none is)


def plot_weight_histogram(ax: Axes, weights, *, bins: int | Sequence[float] = 31, limit: float | None = None,
                          per_layer: bool = False, ymax: float | None = None,
                          xlabel: str = "weight value $W_{ij}$") -> HistogramArtists:
    """Histogram of the weights, the exact zeros as a separate orange bar and counted in the title.

    `bins` is a number of bins over [-limit, limit] (limit defaults to max |W|) or the bin edges.
    `per_layer=True` stacks one colour per layer W[1], W[2], ...
    """
    mats = weight_list(weights)
    if np.ndim(bins) == 0:
        n_bins = v.integer("bins", bins, minimum=1)
        if limit is None:
            limit = max(max(float(np.abs(W).max()) for W in mats), 1e-12)
        edges = np.linspace(-limit, limit, n_bins + 1)
    else:
        edges = np.asarray(bins, dtype=float)
    counts = weight_histogram_counts(mats, edges, per_layer)
    width = np.diff(edges)
    colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    bars, bottom = [], np.zeros(len(width))
    for i, row in enumerate(counts.counts):
        label = f"W[{i + 1}]" if per_layer else "$W_{ij} \\neq 0$"
        bars.append(ax.stairs(bottom + row, edges, baseline=bottom.copy(), fill=True, alpha=0.85, label=label,
                              color=colors[i % len(colors)] if per_layer else TRAIN_COLOR))
        bottom = bottom + row
    zero_width = max(0.6 * float(np.median(width)), 1e-12)
    zero_bar = Rectangle((-zero_width / 2, 0), zero_width, counts.n_zero, facecolor=ZERO_COLOR,
                         edgecolor=mpl.rcParams["text.color"], linewidth=0.8, hatch="///",
                         label="$W_{ij} = 0$ exactly", zorder=3)
    ax.add_patch(zero_bar)
    text = ax.set_title(" ", loc="left")
    artists = HistogramArtists(bars, zero_bar, text, edges, _overflow_text(ax))
    ax.set_xlim(edges[0], edges[-1])
    top = ymax if ymax is not None else 1.15 * max(counts.counts.sum(axis=0).max(), counts.n_zero, 1)
    ax.set_ylim(0, v.positive("ymax", top))
    update_weight_histogram(artists, counts)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("count")
    _opaque_legend(ax, loc="upper left", handlelength=1.0)
    return artists


def update_weight_histogram(artists: HistogramArtists, counts: HistogramCounts) -> None:
    """Show other counts (from weight_histogram_counts with the same edges) in the same bars.

    A bar taller than the axes is cut at its top and labelled with its count.
    """
    if not isinstance(counts, HistogramCounts):
        raise TypeError(f"counts must be the HistogramCounts of weight_histogram_counts, got {v.described(counts)}")
    if counts.counts.shape != (len(artists.bars), len(artists.edges) - 1):
        raise ValueError(f"counts must be for {len(artists.bars)} group(s) of {len(artists.edges) - 1} bins (the "
                         f"histogram's edges), got counts of shape {counts.counts.shape}")
    top = artists.zero_bar.axes.get_ylim()[1]
    bottom = np.zeros(len(artists.edges) - 1)
    for steps, row in zip(artists.bars, counts.counts):
        steps.set_data(np.minimum(bottom + row, top), baseline=np.minimum(bottom, top))
        bottom = bottom + row
    artists.zero_bar.set_height(min(counts.n_zero, top))
    centers = (artists.edges[:-1] + artists.edges[1:]) / 2
    _mark_overflow(artists.overflow, np.append(centers, 0.0), np.append(bottom, counts.n_zero), top, "{:.0f}".format)
    _set_zero_text(artists, counts)


def _overflow_text(ax) -> Text:
    return ax.text(0, 0, "", ha="center", va="top", fontsize="small", zorder=5, color=mpl.rcParams["text.color"],
                   bbox=dict(facecolor=mpl.rcParams["axes.facecolor"], edgecolor="none", alpha=0.8, pad=1))


def _mark_overflow(text: Text, xs, heights, top: float, label) -> None:
    """Label the tallest bar of `heights` (at `xs`) with label(its height) when it is cut at `top`; else none."""
    i = int(np.argmax(heights))
    text.set_position((xs[i], top))
    text.set_text("↑" + label(heights[i]) if heights[i] > top else "")


def _set_zero_text(artists, counts):
    artists.text.set_text(f"weights: {counts.n_zero} of {counts.n_total} exactly 0")


class CoefficientArtists(NamedTuple):
    bars: BarContainer
    zeros: Line2D        # orange markers on the coefficients that are exactly 0
    text: Text           # the axes' (left) title, with the count of exact zeros


def plot_coefficients(ax: Axes, w, *, ylim: float | None = None, group_sizes: Sequence[int] | None = None,
                      linthresh: float = 1.0) -> CoefficientArtists:
    """One bar per coefficient w_j on a symmetric-log y axis; exact zeros marked by orange rings.

    `group_sizes` splits the bars into labelled groups 1, 2, ... (e.g. the monomials of degree
    1, 2, ... of a polynomial feature map: sizes 2, 3, ..., 7 for degree 6).
    """
    w = np.ravel(v.as_matrix("w", w, ndim=np.ndim(w) if np.ndim(w) in (1, 2) else 1))
    j = np.arange(len(w))
    bars = ax.bar(j, w, width=0.75, color=TRAIN_COLOR, alpha=0.9)
    zeros, = ax.plot([], [], "o", markerfacecolor="none", markeredgecolor=ZERO_COLOR, markeredgewidth=1.8,
                     markersize=0.9 * mpl.rcParams["lines.markersize"], zorder=4, label="$w_j = 0$ exactly")
    ax.axhline(0.0, color=mpl.rcParams["text.color"], linewidth=0.6)
    ax.set_yscale("symlog", linthresh=linthresh)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}"))
    top = ylim if ylim is not None else 1.15 * max(np.abs(w).max(), linthresh)
    ax.set_ylim(-top, top)
    ax.set_xlim(-0.7, len(w) - 0.3)
    if group_sizes is not None:
        sizes = [v.integer("group_sizes", s, minimum=1) for s in group_sizes]
        if sum(sizes) != len(w):
            raise ValueError(f"group_sizes must add up to the number of coefficients {len(w)}, got {sum(sizes)}")
        bounds = np.cumsum([0] + sizes)
        for b in bounds[1:-1]:
            ax.axvline(b - 0.5, color=mpl.rcParams["text.color"], linewidth=0.5, alpha=0.3)
        ax.set_xticks((bounds[:-1] + bounds[1:] - 1) / 2, [str(g + 1) for g in range(len(sizes))])
        ax.set_xlabel("degree of the monomial")
    else:
        ax.set_xlabel("j")
    ax.set_ylabel("$w_j$")
    text = ax.set_title(" ", loc="left")
    artists = CoefficientArtists(bars, zeros, text)
    update_coefficients(artists, w)
    _opaque_legend(ax, handles=[zeros], loc="upper right")
    return artists


def update_coefficients(artists: CoefficientArtists, w) -> None:
    w = np.ravel(np.asarray(w, dtype=float))
    for rect, h in zip(artists.bars.patches, w):
        rect.set_height(h)
    zero = np.flatnonzero(w == 0)
    artists.zeros.set_data(zero, np.zeros(len(zero)))
    artists.text.set_text(f"coefficients $w_j$: {len(zero)} of {len(w)} exactly 0")


class LayerNormArtists(NamedTuple):
    bars: BarContainer
    labels: list[Text]   # the value above each bar


def plot_layer_norms(ax: Axes, norms, *, ymax: float | None = None) -> LayerNormArtists:
    """One bar per layer: ‖W[l]‖_F for l = 1..L, with its value written above it."""
    norms = v.as_matrix("norms", norms, ndim=1)
    positions = np.arange(1, len(norms) + 1)
    bars = ax.bar(positions, norms, width=0.6, color=TRAIN_COLOR, alpha=0.85)
    labels = [ax.text(x, h, _norm_label(h), ha="center", va="bottom", fontsize="small")
              for x, h in zip(positions, norms)]
    ax.set_xticks(positions, [f"W[{l}]" for l in positions])
    ax.set_ylim(0, ymax if ymax is not None else 1.2 * max(norms.max(), 1e-12))
    ax.set_ylabel(r"$\Vert W^{[l]}\Vert_F$")
    return LayerNormArtists(bars, labels)


def update_layer_norms(artists: LayerNormArtists, norms) -> None:
    for rect, text, h in zip(artists.bars.patches, artists.labels, np.asarray(norms, dtype=float)):
        rect.set_height(h)
        text.set_y(h)
        text.set_text(_norm_label(h))


def _norm_label(h):
    return "≈ 0" if h < 5e-3 else f"{h:.3g}"


# --- curves over λ -------------------------------------------------------------------------------

class CurveArtists(NamedTuple):
    train: Line2D
    dev: Line2D
    current: Line2D          # vertical line at the current λ
    current_points: Line2D   # the two values at the current λ
    best: Line2D             # star at the dev-optimal λ
    best_index: int


def plot_curves_vs_lambda(ax: Axes, lambdas, train, dev, *, current: float | None = None,
                          best: str | int | None = "min", ylabel: str = "error (%)",
                          labels: tuple[str, str] = ("train", "dev"),
                          legend_loc: str = "upper left", valid=None) -> CurveArtists:
    """Train and dev curves against λ on a log axis that still shows λ = 0 at its left end.

    Marks the current λ (a vertical line, moved by update_curves_vs_lambda) and the dev-optimal
    λ with a star: `best` is "min" (an error or a loss), "max" (an accuracy), an index, or None.
    `valid` (K,) bool leaves the points where it is False out of the curves (e.g. runs that diverged;
    their values may be NaN), while the axis still spans every λ.
    """
    lambdas = v.lambd_grid(np.atleast_1d(lambdas))
    valid = np.ones(len(lambdas), dtype=bool) if valid is None else _mask("valid", valid, len(lambdas))
    train, dev = _values_where("train", train, valid), _values_where("dev", dev, valid)
    order = np.argsort(lambdas)
    order = order[valid[order]]
    size = 0.6 * mpl.rcParams["lines.markersize"]
    train_line, = ax.plot(lambdas[order], train[order], "o-", color=TRAIN_COLOR, label=labels[0], markersize=size)
    dev_line, = ax.plot(lambdas[order], dev[order], "s-", color=DEV_COLOR, label=labels[1], markersize=size)
    if best is None or not valid.any():
        k_best = -1
    elif isinstance(best, str):
        v.choice("best", best, ("min", "max"))
        k_best = int(np.nanargmin(dev) if best == "min" else np.nanargmax(dev))
    else:
        k_best = range(len(lambdas))[v.integer("best", best, minimum=-len(lambdas))]
    best_line, = ax.plot([lambdas[k_best]] if k_best >= 0 else [], [dev[k_best]] if k_best >= 0 else [],
                         "*", color=OKABE_ITO["orange"], markersize=2.6 * mpl.rcParams["lines.markersize"],
                         markeredgecolor=mpl.rcParams["text.color"], zorder=4,
                         label=f"best dev: λ = {format_lambda(lambdas[k_best])}" if k_best >= 0 else None)
    x0 = lambdas[0] if current is None else v.lambd(current)
    current_line = ax.axvline(x0, color=mpl.rcParams["text.color"], linewidth=1.0, linestyle="--", zorder=1)
    current_points, = ax.plot([], [], "o", markerfacecolor="none", markeredgecolor=mpl.rcParams["text.color"],
                              markersize=1.6 * mpl.rcParams["lines.markersize"], markeredgewidth=1.5, zorder=5)
    artists = CurveArtists(train_line, dev_line, current_line, current_points, best_line, k_best)
    if current is not None:
        k = int(np.argmin(np.abs(lambdas - current)))
        update_curves_vs_lambda(artists, current, *((train[k], dev[k]) if valid[k] else (None, None)))
    lambda_axis(ax, lambdas)
    ax.set_ylabel(ylabel)
    _opaque_legend(ax, loc=legend_loc)
    return artists


def update_curves_vs_lambda(artists: CurveArtists, lambd: float, train_value: float | None,
                            dev_value: float | None) -> None:
    """Move the current-λ marker to `lambd`: the line, and circles on the two values (none when None)."""
    lambd = v.lambd(lambd)
    artists.current.set_xdata([lambd, lambd])
    if train_value is None or dev_value is None:
        artists.current_points.set_data([], [])
    else:
        values = [v.scalar("train_value", train_value), v.scalar("dev_value", dev_value)]
        artists.current_points.set_data([lambd, lambd], values)


def _mask(name, values, n) -> np.ndarray:
    mask = np.asarray(values)
    if mask.dtype != bool or mask.shape != (n,):
        raise TypeError(f"{name} must be a boolean array of shape ({n},), one per λ, got {v.described(values)}")
    return mask


def _values_where(name, values, valid) -> np.ndarray:
    """One number per λ, finite where `valid` (anything elsewhere, e.g. NaN for a run that diverged)."""
    if isinstance(values, (str, bytes, Mapping)) or values is None or np.ndim(values) != 1:
        raise TypeError(f"{name} must be a 1-D array of one number per λ, got {v.described(values)}")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1-D array of numbers, got {v.described(values)}") from None
    if arr.shape != valid.shape:
        raise ValueError(f"{name} must hold one value per λ ({len(valid)}), got shape {arr.shape}")
    v.as_matrix(name, np.where(valid, arr, 0.0), ndim=1)          # finite where it is drawn
    return arr


class PathArtists(NamedTuple):
    lines: list[Line2D]
    current: Line2D


def plot_regularization_path(ax: Axes, lambdas, coefs, *, labels: Sequence[str] | None = None,
                             current: float | None = None, ylabel: str = "coefficient $w_j$") -> PathArtists:
    """The regularization path: each coefficient w_j (a line) against λ (log axis, λ = 0 at the left).

    `coefs` is (K, n): row k holds the n coefficients fitted with lambdas[k].
    """
    lambdas = v.lambd_grid(np.atleast_1d(lambdas))
    coefs = v.as_matrix("coefs", coefs, rows=len(lambdas))
    order = np.argsort(lambdas)
    colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    lines = [ax.plot(lambdas[order], coefs[order, j], color=colors[j % len(colors)], alpha=0.85,
                     linewidth=0.7 * mpl.rcParams["lines.linewidth"],
                     label=labels[j] if labels is not None else None)[0]
             for j in range(coefs.shape[1])]
    ax.axhline(0.0, color=mpl.rcParams["text.color"], linewidth=0.6, zorder=0)
    current_line = ax.axvline(lambdas[0] if current is None else current, color=mpl.rcParams["text.color"],
                              linewidth=1.0, linestyle="--")
    lambda_axis(ax, lambdas)
    ax.set_ylabel(ylabel)
    if labels is not None:
        ax.legend(fontsize="small", ncols=2)
    return PathArtists(lines, current_line)


def update_regularization_path(artists: PathArtists, lambd: float) -> None:
    artists.current.set_xdata([lambd, lambd])


class HistoryArtists(NamedTuple):
    lines: list[Line2D]


HISTORY_QUANTITIES = ("frobenius", "data_loss", "penalty", "cost")


def plot_history(ax: Axes, history, *, quantity: str = "frobenius", lambdas=None, layer: int | None = None,
                 max_lines: int = 8, logy: bool = False) -> HistoryArtists:
    """A quantity over the training iterations, one line per λ (light = small λ, dark = large λ).

    `history` is a training history dict (or a Fit, whose .history and .lambd are used) with
    "iteration" (R,) and per-λ columns: "data_loss", "penalty" (R, K) and "frobenius" (R, K, L).
    quantity "frobenius" plots sqrt(Σ_l ‖W[l]‖_F²), or ‖W[layer]‖_F when `layer` is given;
    "cost" is data_loss + penalty. At most `max_lines` λ values are drawn, evenly chosen.
    """
    if hasattr(history, "history"):
        lambdas = history.lambd if lambdas is None else lambdas
        history = history.history
    v.choice("quantity", quantity, HISTORY_QUANTITIES)
    iterations = np.asarray(history["iteration"])
    if quantity == "frobenius":
        F = np.asarray(history["frobenius"], dtype=float)
        F = F[:, None, :] if F.ndim == 2 else F                      # (R, K, L)
        if layer is None:
            values = np.sqrt(np.sum(F ** 2, axis=-1))
            ylabel = r"$\sqrt{\sum_l \Vert W^{[l]}\Vert_F^2}$"
        else:
            if layer not in range(1, F.shape[-1] + 1):
                raise ValueError(f"layer must be one of 1..{F.shape[-1]} (the layers with weights), got {layer!r}")
            values = F[:, :, layer - 1]
            ylabel = rf"$\Vert W^{{[{layer}]}}\Vert_F$"
    else:
        if quantity == "cost":
            values = np.asarray(history["data_loss"], dtype=float) + np.asarray(history["penalty"], dtype=float)
        else:
            values = np.asarray(history[quantity], dtype=float)
        ylabel = {"data_loss": "data loss", "penalty": "penalty", "cost": "cost J"}[quantity]
    values = values.reshape(len(iterations), -1)                      # (R, K)
    K = values.shape[1]
    lambdas = np.full(K, np.nan) if lambdas is None else np.atleast_1d(np.asarray(lambdas, dtype=float))
    if len(lambdas) != K:
        raise ValueError(f"lambdas must hold one value per history column ({K}), got {len(lambdas)}")
    chosen = np.unique(np.round(np.linspace(0, K - 1, min(K, max_lines))).astype(int))
    cmap = mpl.colormaps["viridis"]
    lines = []
    for i, k in enumerate(chosen):
        color = cmap(0.9 * (1 - i / max(len(chosen) - 1, 1)))
        label = None if np.isnan(lambdas[k]) else f"λ = {format_lambda(lambdas[k])}"
        lines.append(ax.plot(iterations, values[:, k], color=color, label=label)[0])
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel(ylabel)
    if not np.isnan(lambdas[chosen]).all():
        ax.legend(fontsize="small")
    return HistoryArtists(lines)


# --- inside the network --------------------------------------------------------------------------

class NetworkArtists(NamedTuple):
    units: PathCollection   # all units, layer by layer
    edges: LineCollection   # all weights, layer by layer (W[1] first, row-major within a layer)
    layer_dims: tuple[int, ...]


def plot_network(ax: Axes, layer_dims, activity=None, weights=None, *, weight_scale=None,
                 unit_size: float | None = None) -> NetworkArtists:
    """A network diagram: units as circles shaded by activity, weights as lines.

    `activity` is one array per layer (n[l],) with values in [0, 1] — e.g. mean |A[l]| divided by a
    reference — or None for a layer drawn in neutral grey; ≈ 0 is drawn pale grey (a faded unit).
    `weights` (W[1], ..., W[L]) set each edge's opacity and width ∝ |W_ij| / weight_scale[l]
    (default: the largest |W| of the layer).
    """
    dims = tuple(v.integer(f"layer_dims[{i}]", n, minimum=1) for i, n in enumerate(layer_dims))
    xy = _unit_positions(dims)
    starts, ends = [], []
    offsets = np.cumsum((0,) + dims)
    for l in range(1, len(dims)):
        prev, cur = xy[offsets[l - 1]:offsets[l]], xy[offsets[l]:offsets[l + 1]]
        starts.append(np.repeat(prev[None], len(cur), axis=0).reshape(-1, 2))
        ends.append(np.repeat(cur, len(prev), axis=0))
    segments = np.stack([np.concatenate(starts), np.concatenate(ends)], axis=1)
    edges = LineCollection(segments, colors=mpl.rcParams["text.color"], linewidths=0.6, alpha=None, zorder=1)
    ax.add_collection(edges)
    height_in = ax.get_position().height * ax.figure.get_figheight()
    size = unit_size if unit_size is not None else min(
        (0.55 * 72 * height_in / max(max(dims), 2)) ** 2, 2.5 * mpl.rcParams["lines.markersize"] ** 2 * 4)
    units = ax.scatter(xy[:, 0], xy[:, 1], s=size, c=[INACTIVE_COLOR] * len(xy), edgecolors="#555555",
                       linewidths=0.8, zorder=3)
    ax.set_xlim(-0.4, len(dims) - 0.6)
    ax.set_ylim(-0.6, max(dims) - 0.4)
    ax.set_xticks(range(len(dims)), ["x"] + [f"A[{l}]" for l in range(1, len(dims))])
    ax.set_yticks([])
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", length=0)
    artists = NetworkArtists(units, edges, dims)
    update_network(artists, activity, weights, weight_scale=weight_scale)
    return artists


def update_network(artists: NetworkArtists, activity=None, weights=None, *, weight_scale=None) -> None:
    """Re-shade the units (activity) and re-weight the edges (weights) of a plot_network diagram."""
    dims = artists.layer_dims
    if activity is not None:
        if len(activity) != len(dims):
            raise ValueError(f"activity must hold one entry per layer ({len(dims)}), got {len(activity)}")
        colors = []
        for l, (n, a) in enumerate(zip(dims, activity)):
            if a is None:
                colors.append(np.tile(to_rgba("#BBBBBB"), (n, 1)))
            else:
                a = np.asarray(a, dtype=float).reshape(-1)
                if a.size != n:
                    raise ValueError(f"activity[{l}] must hold n[{l}] = {n} values, got {a.size}")
                colors.append(ACTIVITY_CMAP(np.clip(a, 0.0, 1.0)))
        artists.units.set_facecolors(np.concatenate(colors))
    if weights is not None:
        mats = weight_list(weights)
        if len(mats) != len(dims) - 1:
            raise ValueError(f"weights must hold one matrix per layer ({len(dims) - 1}), got {len(mats)}")
        scales = [float(np.abs(W).max()) for W in mats] if weight_scale is None else list(weight_scale)
        strength = np.concatenate([np.abs(W).ravel() / max(s, 1e-12) for W, s in zip(mats, scales)])
        strength = np.clip(strength, 0.0, 1.0)
        rgba = np.tile(to_rgba(mpl.rcParams["text.color"]), (strength.size, 1))
        rgba[:, 3] = 0.05 + 0.75 * strength
        artists.edges.set_color(rgba)
        artists.edges.set_linewidths(0.3 + 2.0 * strength)


def _unit_positions(dims) -> np.ndarray:
    """(x, y) of every unit: layer l at x = l, units centred vertically."""
    top = max(dims) - 1
    return np.array([(l, top / 2 + (n - 1) / 2 - j) for l, n in enumerate(dims) for j in range(n)], dtype=float)


class TanhArtists(NamedTuple):
    curve: Line2D
    identity: Line2D
    band: Rectangle
    bars: StepPatch | None      # histogram of z (on hist_ax), None without z
    hist_ax: Axes | None
    text: Text
    edges: np.ndarray
    overflow: Text | None       # "↑93%" on a bar cut at the top of hist_ax (None without z)


def linear_fraction(z_values, band: float = 0.5) -> float:
    """Fraction of the pre-activations z with |z| <= band, where tanh(z) ≈ z."""
    z = np.concatenate([np.ravel(z) for z in (z_values if isinstance(z_values, (list, tuple)) else [z_values])])
    return float(np.mean(np.abs(z) <= band)) if z.size else float("nan")


def tanh_histogram(z_values, edges) -> np.ndarray:
    """Fraction of the pre-activations z per bin of `edges` (z beyond the range goes to the end bins)."""
    z = np.concatenate([np.ravel(z) for z in (z_values if isinstance(z_values, (list, tuple)) else [z_values])])
    counts = np.histogram(np.clip(z, edges[0], edges[-1]), edges)[0]
    return counts / max(z.size, 1)


def plot_tanh_band(ax: Axes, z_values=None, *, band: float = 0.5, zlim: float = 4.0, bins: int = 40,
                   hist_max: float | None = None) -> TanhArtists:
    """tanh on (-zlim, zlim) with its near-linear band |z| <= band shaded, where tanh(z) ≈ z.

    With `z_values` (an array or a list of arrays, e.g. each hidden layer's Z[l]) the histogram of
    the pre-activations is drawn behind the curve on a second y axis (fraction of z per bin), and the
    fraction inside the band is written on the plot.
    """
    band = v.positive("band", band)
    zlim = v.positive("zlim", zlim)
    z = np.linspace(-zlim, zlim, 401)
    edges = np.linspace(-zlim, zlim, v.integer("bins", bins, minimum=1) + 1)
    bars, hist_ax, overflow = None, None, None
    if z_values is not None:
        hist_ax = ax.twinx()
        heights = tanh_histogram(z_values, edges)
        bars = hist_ax.stairs(heights, edges, fill=True, color=OKABE_ITO["sky blue"], alpha=0.55)
        overflow = _overflow_text(hist_ax)
        hist_ax.set_ylim(0, v.positive("hist_max", hist_max) if hist_max is not None
                         else 1.1 * max(heights.max(), 1e-12))
        hist_ax.set_ylabel("fraction of z per bin", color=OKABE_ITO["blue"])
        hist_ax.spines["right"].set_visible(True)
        ax.set_zorder(hist_ax.get_zorder() + 1)   # curve above the bars
        ax.patch.set_visible(False)
    band_patch = ax.axvspan(-band, band, color=BAND_COLOR, alpha=0.18, linewidth=0,
                            label=f"linear band |z| ≤ {band:g}")
    identity, = ax.plot(z, z, "--", color=mpl.rcParams["text.color"], linewidth=1.0, alpha=0.6, label="z")
    curve, = ax.plot(z, np.tanh(z), color=OKABE_ITO["vermillion"], label="tanh(z)")
    ax.set_xlim(-zlim, zlim)
    ax.set_ylim(-1.25, 1.25)
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("g(z)")
    text = ax.text(0.03, 0.96, "", transform=ax.transAxes, ha="left", va="top",
                   bbox=dict(facecolor=mpl.rcParams["axes.facecolor"], edgecolor="none", alpha=0.85, pad=2))
    artists = TanhArtists(curve, identity, band_patch, bars, hist_ax, text, edges, overflow)
    if z_values is not None:
        update_tanh_band(artists, heights, linear_fraction(z_values, band))
    _opaque_legend(ax, loc="lower right")
    return artists


def update_tanh_band(artists: TanhArtists, heights, fraction: float) -> None:
    """New z histogram heights (tanh_histogram with the same edges) and fraction in the band.

    A bar taller than the histogram's axis is cut at its top and labelled with its height.
    """
    fraction = v.scalar("fraction", fraction, minimum=0.0, maximum=1.0)
    if artists.bars is not None:
        heights = v.as_matrix("heights", heights, ndim=1, cols=len(artists.edges) - 1)
        top = artists.hist_ax.get_ylim()[1]
        artists.bars.set_data(np.minimum(heights, top))
        centers = (artists.edges[:-1] + artists.edges[1:]) / 2
        _mark_overflow(artists.overflow, centers, heights, top, lambda h: f"{100 * h:.0f}%")
    artists.text.set_text(_linear_text(fraction))


def _linear_text(fraction):
    return f"{100 * fraction:.0f}% of z in the band"

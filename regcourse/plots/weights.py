"""The weights: a histogram with the exact zeros apart, the coefficients w_j, ‖W[l]‖_F per layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, StepPatch
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from .. import _validate as v
from ..style import TRAIN_COLOR, ZERO_COLOR
from . import _checks as checks
from .axes import opaque_legend


def weight_list(weights) -> list[np.ndarray]:
    """The weight matrices in `weights`: one array, a list, or a params dict (W1, W2, ...)."""
    if isinstance(weights, Mapping):
        keys = sorted((k for k in weights if k.startswith("W") and k[1:].isdigit()), key=lambda k: int(k[1:]))
        if not keys:
            raise ValueError(f"weights must hold W1, W2, ... when given as a dict, got keys {list(weights)}")
        return [_matrix(f"weights[{k!r}]", weights[k]) for k in keys]
    if isinstance(weights, np.ndarray):
        return [_matrix("weights", weights)]
    if isinstance(weights, (list, tuple)) and weights:
        return [_matrix(f"weights[{i}]", W) for i, W in enumerate(weights)]
    raise TypeError(f"weights must be an array, a non-empty list of arrays or a params dict, "
                    f"got {v.described(weights)}")


def _matrix(name, W) -> np.ndarray:
    return v.as_matrix(name, W, ndim=max(np.ndim(W), 1))


class HistogramCounts(NamedTuple):
    counts: np.ndarray   # (n_groups, n_bins): non-zero weights per bin, one row per layer (or pooled)
    n_zero: int          # weights exactly equal to 0
    n_total: int


def weight_histogram_counts(weights, edges, per_layer: bool = False) -> HistogramCounts:
    """Counts of the non-zero weights in the bins `edges` (values beyond are put in the end bins).

    Exact zeros are counted apart: an L1 penalty makes many, and they deserve their own bar.
    """
    edges = checks.edges("edges", edges)
    groups = [W.ravel() for W in weight_list(weights)]
    if not checks.flag("per_layer", per_layer):
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
    checks.axes(ax)
    mats = weight_list(weights)
    limit = checks.optional_positive("limit", limit)
    ymax = checks.optional_positive("ymax", ymax)
    checks.text("xlabel", xlabel)
    if np.ndim(bins) == 0:
        n_bins = checks.integer("bins", bins, 1, checks.MAX_BINS)
        if limit is None:
            limit = max(max(float(np.abs(W).max()) for W in mats), 1e-12)
        edges = np.linspace(-limit, limit, n_bins + 1)
    else:
        edges = checks.edges("bins", bins)
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
    artists = HistogramArtists(bars, zero_bar, text, edges, overflow_text(ax))
    ax.set_xlim(edges[0], edges[-1])
    top = ymax if ymax is not None else 1.15 * max(counts.counts.sum(axis=0).max(), counts.n_zero, 1)
    ax.set_ylim(0, top)
    update_weight_histogram(artists, counts)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("count")
    opaque_legend(ax, loc="upper left", handlelength=1.0)
    return artists


def update_weight_histogram(artists: HistogramArtists, counts: HistogramCounts) -> None:
    """Show other counts (from weight_histogram_counts with the same edges) in the same bars.

    A bar taller than the axes is cut at its top and labelled with its count.
    """
    checks.artists(artists, HistogramArtists, "plot_weight_histogram")
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
    mark_overflow(artists.overflow, np.append(centers, 0.0), np.append(bottom, counts.n_zero), top, "{:.0f}".format)
    _set_zero_text(artists, counts)


def overflow_text(ax) -> Text:
    return ax.text(0, 0, "", ha="center", va="top", fontsize="small", zorder=5, color=mpl.rcParams["text.color"],
                   bbox=dict(facecolor=mpl.rcParams["axes.facecolor"], edgecolor="none", alpha=0.8, pad=1))


def mark_overflow(text: Text, xs, heights, top: float, label) -> None:
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
    checks.axes(ax)
    w = _coefficients(w)
    ylim = checks.optional_positive("ylim", ylim)
    linthresh = v.positive("linthresh", linthresh)
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
        if isinstance(group_sizes, (str, bytes)) or not isinstance(group_sizes, Sequence):
            raise TypeError(f"group_sizes must be a list of group sizes, got {v.described(group_sizes)}")
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
    opaque_legend(ax, handles=[zeros], loc="upper right")
    return artists


def update_coefficients(artists: CoefficientArtists, w) -> None:
    """Show other coefficients (as many as the bars) in the same bars, exact zeros marked."""
    checks.artists(artists, CoefficientArtists, "plot_coefficients")
    w = _coefficients(w, len(artists.bars.patches))
    for rect, h in zip(artists.bars.patches, w):
        rect.set_height(h)
    zero = np.flatnonzero(w == 0)
    artists.zeros.set_data(zero, np.zeros(len(zero)))
    artists.text.set_text(f"coefficients $w_j$: {len(zero)} of {len(w)} exactly 0")


def _coefficients(w, n: int | None = None) -> np.ndarray:
    """w as a 1-D array: a vector or an (n, 1) column."""
    if np.ndim(w) == 2 and np.shape(w)[1] == 1:
        w = np.asarray(w)[:, 0]
    return checks.numbers_1d("w", w, n)


class LayerNormArtists(NamedTuple):
    bars: BarContainer
    labels: list[Text]   # the value above each bar


def plot_layer_norms(ax: Axes, norms, *, ymax: float | None = None) -> LayerNormArtists:
    """One bar per layer: ‖W[l]‖_F for l = 1..L, with its value written above it."""
    checks.axes(ax)
    norms = checks.numbers_1d("norms", norms, minimum=0.0)
    ymax = checks.optional_positive("ymax", ymax)
    positions = np.arange(1, len(norms) + 1)
    bars = ax.bar(positions, norms, width=0.6, color=TRAIN_COLOR, alpha=0.85)
    labels = [ax.text(x, h, _norm_label(h), ha="center", va="bottom", fontsize="small")
              for x, h in zip(positions, norms)]
    ax.set_xticks(positions, [f"W[{l}]" for l in positions])
    ax.set_ylim(0, ymax if ymax is not None else 1.2 * max(norms.max(), 1e-12))
    ax.set_ylabel(r"$\Vert W^{[l]}\Vert_F$")
    return LayerNormArtists(bars, labels)


def update_layer_norms(artists: LayerNormArtists, norms) -> None:
    """Other norms (one per layer) in the same bars and labels."""
    checks.artists(artists, LayerNormArtists, "plot_layer_norms")
    norms = checks.numbers_1d("norms", norms, len(artists.labels), minimum=0.0)
    for rect, text, h in zip(artists.bars.patches, artists.labels, norms):
        rect.set_height(h)
        text.set_y(h)
        text.set_text(_norm_label(h))


def _norm_label(h):
    return "≈ 0" if h < 5e-3 else f"{h:.3g}"

"""Pure drawing functions: ``plot_x(ax, ...)`` draws on the axes it is given and returns its artists.

Nothing here calls ``plt.show()`` or touches pyplot's current figure. Each plot that an explorer
animates has an ``update_x(artists, ...)`` partner that changes the same artists in place
(``set_data``, ``set_segments``, ``set_height``), so a slider move never creates new artists.
Every function checks its arguments and names the one it rejects.

Notation: X is (2, m) with examples as columns, Y is (1, m) with labels 0/1, W[l] is (n[l], n[l-1]),
``lambd`` is the regularization strength λ.

    axes.py      format_lambda, format_value, lambda_axis (λ = 0 at the left of a log axis)
    boundary.py  grid_for, boundary_segments, plot_decision_boundary, small_multiples
    weights.py   weight histogram (exact zeros apart), coefficients w_j, ‖W[l]‖_F per layer
    curves.py    train/dev curves against λ, the regularization path, training histories
    inside.py    the network diagram (units shaded by activity), tanh and its linear band
    _checks.py   argument checks
"""

from .axes import format_lambda, format_value, lambda_axis
from .boundary import (PROBABILITY_CMAP, DecisionBoundaryArtists, Grid, boundary_segments, grid_for,
                       plot_decision_boundary, probability_rgba, small_multiples, update_decision_boundary)
from .curves import (HISTORY_QUANTITIES, CurveArtists, HistoryArtists, PathArtists, plot_curves_vs_lambda,
                     plot_history, plot_regularization_path, update_curves_vs_lambda, update_regularization_path)
from .inside import (ACTIVITY_CMAP, NetworkArtists, TanhArtists, linear_fraction, plot_network, plot_tanh_band,
                     tanh_histogram, update_network, update_tanh_band)
from .weights import (CoefficientArtists, HistogramArtists, HistogramCounts, LayerNormArtists, plot_coefficients,
                      plot_layer_norms, plot_weight_histogram, update_coefficients, update_layer_norms,
                      update_weight_histogram, weight_histogram_counts, weight_list)

__all__ = [
    "ACTIVITY_CMAP", "HISTORY_QUANTITIES", "PROBABILITY_CMAP",
    "CoefficientArtists", "CurveArtists", "DecisionBoundaryArtists", "Grid", "HistogramArtists", "HistogramCounts",
    "HistoryArtists", "LayerNormArtists", "NetworkArtists", "PathArtists", "TanhArtists",
    "boundary_segments", "format_lambda", "format_value", "grid_for", "lambda_axis", "linear_fraction",
    "plot_coefficients", "plot_curves_vs_lambda", "plot_decision_boundary", "plot_history", "plot_layer_norms",
    "plot_network", "plot_regularization_path", "plot_tanh_band", "plot_weight_histogram", "probability_rgba",
    "small_multiples", "tanh_histogram", "update_coefficients", "update_curves_vs_lambda",
    "update_decision_boundary", "update_layer_norms", "update_network", "update_regularization_path",
    "update_tanh_band", "update_weight_histogram", "weight_histogram_counts", "weight_list",
]

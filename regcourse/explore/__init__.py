"""The λ explorers: move a slider, watch the decision boundary, the weights and the curves change.

Everything heavy happens once, when an explorer is built (or when another dataset or penalty is
picked): the models for the whole λ grid are trained — the network in ONE batched run — and
every picture is precomputed (probability maps, 0.5 contours, histogram counts, ...). A slider move
is then a lookup: with the default render="frames", the browser shows a picture it already has.

    explorer = LogisticExplorer(dataset="two regions")
    explorer                      # shows the widget in a notebook
    explorer.set_lambda(0.1)      # the same as moving the slider; returns the λ used
    explorer.state                # the numbers in the status line
    explorer.show_scene("best on dev")   # a scene: "no regularization", "best on dev", "too strong", yours
    explorer.play(); explorer.pin(); explorer.reset()     # the lecture controls (lecture.py)

A notebook that has already trained its λ grid hands it over instead of training it again:

    fit = network.train(split.X_train, split.Y_train, layer_dims, lambd=lambdas, seed=0)
    explorer = NetworkExplorer.from_fit(fit, split, dataset="two regions", seed=0)
    fits = logistic.fit_path(data.polynomial_features(split.X_train, 6), split.Y_train, lambdas)
    explorer = LogisticExplorer.from_fits(fits, split, dataset="moons")

By default (``render="auto"`` = "frames") the figure at every λ of the grid is sent to the browser
once, as palette PNGs in a ``widgets.Tab`` that the slider flips there (``jsdlink``): no kernel per
move, so the slider works with a busy kernel and in a static HTML page. ``render="image"`` (a PNG
per move) and ``render="ipympl"`` (an ipympl canvas) redraw in the kernel on every move. Importing
ipympl does not change pyplot's backend. ipywidgets is imported here only.

`explorer.state` is a dict with the keys of `Status` (status.py documents each), the same whichever
panels are shown. A notebook's own models reach an explorer through an explicit source, `Given`
(from_fit / from_fits build one); an explorer that makes its own data has a `Generated` source.

The rooms of this package:

    sweep.py         the λ grid, the sources (Generated, Given) and the precomputed Sweep of one
                     (dataset, penalty)
    panels.py        the parts of the figure: a plots function plus the per-λ data it needs
    status.py        Status: the numbers of the status line, typed (`state` is its dict)
    lecture.py       the lecture controls: scenes, Play, pin, reset (their widgets and methods)
    widget.py        the explorer widget: controls, callbacks, errors (a slider move: Explorer._on_lambda)
    explorers.py     LogisticExplorer and NetworkExplorer (and their from_fit / from_fits)
    training.py      TrainingExplorer: the network trained live, λ / L1-L2 / α changeable mid-run
    training_figure.py  its figure: panels, change marks, a frame's redraw
    render.py        FigureView: the figure, blitting, the fast PNG encoder, render modes
    palette.py       PaletteEncoder: frames as 256-colour PNGs from one palette
    _mpl_private.py  every private matplotlib / ipympl API relied on, in one place
    _checks.py       argument checks
"""

from .explorers import LogisticExplorer, NetworkExplorer
from .lecture import Scene
from .render import png_bytes
from .status import Status
from .sweep import Generated, Given, Sweep, default_lambdas, snap_lambda
from .training import TrainingExplorer
from .widget import Explorer

__all__ = ["Explorer", "Generated", "Given", "LogisticExplorer", "NetworkExplorer", "Scene", "Status", "Sweep",
           "TrainingExplorer", "default_lambdas", "png_bytes", "snap_lambda"]

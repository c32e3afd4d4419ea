"""render="frames": every λ drawn once, flipped in the browser by a link from the slider (no kernel per move).

The browser half (the link really flips the picture in JupyterLab, Voilà and a static page) is in
tests/browser; here: what the kernel sends, and that it is the picture and the numbers of each λ.
"""

import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from regcourse import data, explore, logistic, plots  # noqa: E402

LAMBDAS = [0.0, 0.01, 0.1, 1.0, 10.0, 100.0]
FRAME_BUDGET = 1_000_000   # bytes: all the frames of one explorer of the notebooks' size (27 λ, two panels)


@pytest.fixture(scope="module")
def net():
    return explore.NetworkExplorer("moons", layer_dims=(2, 8, 4, 1), lambdas=LAMBDAS, m=120, num_iterations=200,
                                   seed=3, resolution=40, panels=("boundary", "weights", "units"))


@pytest.fixture(scope="module")
def log():
    split = data.train_dev_test_split(*data.load("two regions", m=120, seed=3), seed=3)
    fits = logistic.fit_path(data.polynomial_features(split.X_train, 4), split.Y_train, LAMBDAS)
    return explore.LogisticExplorer.from_fits(fits, split, dataset="two regions", resolution=40)


def frames(explorer) -> list[bytes]:
    return [bytes(image.value) for image in explorer.view.images]


def decoded(frame: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(frame)).convert("RGB")).astype(int)


def test_frames_is_the_default_and_the_figure_is_a_tab_of_one_png_per_lambda(net, log):
    for explorer in (net, log):
        assert explorer.render == "frames"
        tab = explorer.view.widget
        assert isinstance(tab, widgets.Tab) and len(explorer.view.images) == len(LAMBDAS)
        assert explorer.view.images == list(tab.children[:len(LAMBDAS)])   # page k is the frame of λ index k
        w, h = explorer.figure.canvas.get_width_height()
        for image in explorer.view.images:
            assert isinstance(image, widgets.Image) and image.format == "png"
            assert (image.layout.width, image.layout.height) == (f"{w}px", f"{h}px")
            assert Image.open(io.BytesIO(image.value)).size == (w, h)
        assert "regcourse-figure" in tab._dom_classes


def test_the_last_page_is_a_hidden_stylesheet_that_hides_the_tab_bar(net):
    """The browser keeps a view of every page of a Tab (a move only hides one and shows another); the
    tab bar and the frame around the pages are hidden by a <style> in an HTML page the slider never selects."""
    style = net.view.widget.children[-1]
    assert isinstance(style, widgets.HTML) and style.layout.display == "none"
    assert len(net.slider.options) == len(net.view.widget.children) - 1     # no slider position selects it
    css = style.value
    assert css.startswith("<style>") and css.endswith("</style>")
    assert ".regcourse-figure.widget-tab > .widget-tab-bar { display: none !important; }" in css
    assert ".regcourse-figure.widget-tab > .widget-tab-contents { padding: 0; border: none;" in css


def test_the_slider_index_is_linked_in_the_browser_to_both_stacks(net):
    links = {(link.source, link.target) for link in net.links}
    assert links == {((net.slider, "index"), (net.view.widget, "selected_index")),
                     ((net.slider, "index"), (net.status_stack, "selected_index"))}
    assert all(isinstance(link, widgets.widget_link.Link) for link in net.links)   # front-end links


def test_each_frame_is_the_figure_at_its_lambda(net):
    for lam in (0.0, 1.0, 100.0):
        net.set_lambda(lam)
        exact = net.to_array()[..., :3].astype(int)
        frame = decoded(frames(net)[net.slider.index])
        assert frame.shape == exact.shape
        assert np.abs(frame - exact).mean() < 0.5            # one shared palette: close to the exact picture
        assert (frame[0, 0] == exact[0, 0]).all()            # the background keeps its colour


def test_frames_and_status_lines_differ_between_lambdas(net, log):
    for explorer in (net, log):
        shown = frames(explorer)
        assert len(set(shown)) == len(shown), "two λ values give the same picture"
        lines = [line.value for line in explorer.status_stack.children]
        for lam, line in zip(LAMBDAS, lines):
            assert f"λ = {plots.format_lambda(lam)}" in line
        assert len(set(lines)) == len(lines)


def test_set_lambda_moves_the_slider_the_status_line_and_the_state(net):
    for lam in (0.1, 100.0, 0.0):
        assert net.set_lambda(lam) == lam
        k = LAMBDAS.index(lam)
        assert net.slider.index == k and net.state["lambd"] == lam
        assert net.status_line is net.status_stack.children[k]


def test_state_follows_the_slider_moved_in_the_browser(net):
    """The browser sends the slider's new index; nothing is redrawn, the state follows."""
    shown = frames(net)
    net.slider.index = 4                     # what a sync from the front end does
    assert net.state["lambd"] == LAMBDAS[4] and net.lambd == LAMBDAS[4]
    assert frames(net) == shown
    assert f"λ = {plots.format_lambda(LAMBDAS[4])}" in net.status_line.value


def test_switching_the_penalty_rebuilds_the_frames_in_the_same_images(net):
    images, before = list(net.view.widget.children), frames(net)
    l1_norm = "Σ‖W<sup>[l]</sup>‖<sub>1</sub>"
    assert not any(l1_norm in line.value for line in net.status_stack.children)
    net.set_penalty("l1")
    try:
        assert list(net.view.widget.children) == images            # the same widgets, new pictures
        after = frames(net)
        assert all(a != b for a, b in zip(after[1:], before[1:]))   # λ = 0: the same network either way
        assert all(l1_norm in line.value for line in net.status_stack.children)
        assert net.state["penalty_kind"] == "l1"
    finally:
        net.set_penalty("l2")
    assert frames(net) != after and not any(l1_norm in line.value for line in net.status_stack.children)


def test_the_frames_of_a_notebook_sized_explorer_stay_within_the_budget():
    """27 λ, the default picture (boundary + weights at 100 dpi): every frame sent once, at most FRAME_BUDGET."""
    explorer = explore.NetworkExplorer("two regions", layer_dims=(2, 20, 3, 1), num_iterations=300, seed=0)
    sizes = [len(f) for f in frames(explorer)]
    assert len(sizes) == len(explore.default_lambdas())
    assert sum(sizes) <= FRAME_BUDGET, f"{sum(sizes)} bytes in {len(sizes)} frames"
    rgb = explorer.to_array()[..., :3]
    assert min(sizes) < len(explore.png_bytes(np.dstack([rgb, rgb[..., :1]]))) / 2   # the palette pays off


@pytest.mark.parametrize("panels", [("boundary", "curve"), ("boundary", "weights", "units")])
def test_the_frames_are_blitted_not_drawn_whole(panels, monkeypatch):
    """Building the frames draws the whole figure once (the layout); every λ after it only redraws the
    dynamic artists over the kept background. Figures whose size in pixels is not a whole number
    (boundary + curve is 819.x px wide) once fell back to a whole draw per λ, five times slower."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    whole = []
    draw = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda canvas: (whole.append(1), draw(canvas))[1])
    explorer = explore.NetworkExplorer("moons", layer_dims=(2, 8, 4, 1), lambdas=LAMBDAS, m=120,
                                       num_iterations=200, seed=3, resolution=40, panels=panels)
    assert len(explorer.view.images) == len(LAMBDAS)
    assert len(whole) == 1, f"{len(whole)} whole-figure draws for {len(LAMBDAS)} frames"
    explorer.set_lambda(1.0)
    assert len(whole) == 1


def test_the_static_picture_is_the_frame_shown_without_drawing(net, monkeypatch):
    """The PNG a notebook stores next to the widget (for GitHub and nbviewer) is the frame of the λ shown,
    already encoded: displaying an explorer draws nothing."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    whole = []
    draw = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda canvas: (whole.append(1), draw(canvas))[1])
    for lam in (0.0, 1.0):
        net.set_lambda(lam)
        png = net._repr_mimebundle_()["image/png"]
        assert isinstance(png, bytes) and png == frames(net)[net.slider.index]
    assert whole == []
    monkeypatch.undo()
    exact = net.to_array()[..., :3].astype(int)                # λ = 1, drawn whole
    assert np.abs(decoded(net.picture()) - exact).mean() < 0.5


def test_the_static_picture_is_drawn_when_the_frames_are_out_of_date(net, monkeypatch):
    """After a failed redraw the figure is blank with a note while the frames still show the old sweep:
    the static picture is then a fresh full draw of what the figure holds, not a stale frame."""
    net.set_lambda(1.0)
    monkeypatch.setattr(explore.panels.WeightsPanel, "__init__",
                        lambda self, *args: (_ for _ in ()).throw(RuntimeError("the panel broke")))
    with pytest.raises(RuntimeError, match="the panel broke"):
        net.set_penalty("l1")
    assert net.view.panels == []
    png = net.picture()
    assert png not in frames(net)
    np.testing.assert_array_equal(decoded(png), net.to_array()[..., :3].astype(int))
    monkeypatch.undo()
    net.set_lambda(0.1)                                        # the next move that works draws again
    assert net.picture() == frames(net)[net.slider.index]

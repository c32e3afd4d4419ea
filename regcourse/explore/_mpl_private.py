"""Every private matplotlib / ipympl API the explorers rely on, in one place.

What is relied on, and why (tests/test_explore.py checks each against the installed versions, through
`broken_assumptions`, and fails loudly when a new version changes one):

    matplotlib  rcParams._get / ._set        read and restore the raw backend, which may be the "not chosen
                rcsetup._auto_backend_sentinel   yet" sentinel (rcParams["backend"] would resolve it)
                pyplot._backend_mod          pyplot's backend module, put back with that sentinel
                WebAgg canvas ._png_is_old, ._force_full, ._last_buff, set_image_mode
                                             get_diff_image's state: our copy swaps Pillow for png_bytes
    ipympl      Canvas.syncing_data_url, ._data_url   the picture a view shows before it connects
                Canvas._closed               False: the canvas is shown by the explorer, never by the manager
"""

from __future__ import annotations

import base64
import contextlib
import functools
import importlib.util
import sys
import warnings

import matplotlib as mpl
import numpy as np
from matplotlib import rcsetup


def ipympl_canvas(figure, png_bytes):
    """An ipympl canvas widget for `figure`: no toolbar, header, footer or resizing; pyplot never sees it."""
    canvas = fast_canvas_class(png_bytes)(figure)
    with warnings.catch_warnings():   # ipympl's Toolbar trips a traitlets deprecation warning
        warnings.simplefilter("ignore", DeprecationWarning)
        ipympl_backend().FigureManager(canvas, 0)      # the canvas needs a manager
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas._closed = False
    return canvas


@functools.cache
def fast_canvas_class(png_bytes):
    """ipympl's Canvas, with the frames it sends to the browser encoded by `png_bytes` (render.png_bytes).

    get_diff_image is matplotlib's WebAgg logic (full frame, or only the changed pixels with the
    rest transparent) with the Pillow encoder swapped for png_bytes, ~5x faster. If matplotlib's
    internals differ from what this expects, the original method is used. send_binary also keeps
    a valid data URL of the figure for the browser's first paint (see there).
    """
    class FastCanvas(ipympl_backend().Canvas):
        def get_diff_image(self):
            needed = ("_png_is_old", "_force_full", "_last_buff", "set_image_mode", "get_renderer")
            if not all(hasattr(self, name) for name in needed):
                return super().get_diff_image()
            if not self._png_is_old:
                return None
            pixels = np.asarray(self.get_renderer().buffer_rgba())
            buff = pixels.view(np.uint32).squeeze(2)
            if self._force_full or buff.shape != self._last_buff.shape or (pixels[:, :, 3] != 255).any():
                self.set_image_mode("full")
                output = buff
            else:
                self.set_image_mode("diff")
                output = np.where(buff != self._last_buff, buff, 0)
            self._last_buff = buff.copy()
            self._force_full = False
            self._png_is_old = False
            return png_bytes(output.view(np.uint8).reshape((*output.shape, 4)), alpha=True)

        def send_binary(self, data):
            # Until a browser view has connected, ipympl keeps a picture of the figure in _data_url for
            # the view to show first. ipympl 0.10 stores it without the "data:image/png;base64," prefix
            # (an <img> cannot load that, and the view then never gets a size): store a proper URL.
            if getattr(self, "syncing_data_url", False):
                frame = np.asarray(self.get_renderer().buffer_rgba())
                self._data_url = "data:image/png;base64," + base64.b64encode(png_bytes(frame)).decode("ascii")
            self.send({"data": '{"type": "binary"}'}, buffers=[data])

    return FastCanvas


def ipympl_installed() -> bool:
    """Whether ipympl can be found, without importing it (its __init__ has a side effect)."""
    try:
        return importlib.util.find_spec("ipympl") is not None
    except (ImportError, ValueError):
        return False


def ipympl_backend():
    """The module ipympl.backend_nbagg, imported without changing pyplot's backend.

    ipympl/__init__.py runs ``matplotlib.use("module://ipympl.backend_nbagg")`` when matplotlib is
    already imported, which would turn every later ``plt.subplots(); plt.show()`` of the notebook
    into an ipympl widget instead of an inline PNG. The explorer needs ipympl's canvas class only,
    so the backend chosen before the import is put back right after it.
    """
    module = sys.modules.get("ipympl.backend_nbagg")
    if module is not None:
        return module
    with backend_kept():
        import ipympl.backend_nbagg as module
    return module


@contextlib.contextmanager
def backend_kept():
    """Undo any change of matplotlib's backend made inside the block (an import that calls mpl.use)."""
    rc, defaults = mpl.rcParams, mpl.rcParamsDefault
    before = rc._get("backend")            # raw (matplotlib's stable private API): may be the auto sentinel,
    default_before = defaults._get("backend")   # "not chosen yet", which rcParams["backend"] would resolve
    fallback = rc["backend_fallback"]
    pyplot = sys.modules.get("matplotlib.pyplot")
    backend_mod = getattr(pyplot, "_backend_mod", None)
    try:
        yield
    finally:
        if rc._get("backend") != before:
            pyplot = sys.modules.get("matplotlib.pyplot")
            if before is rcsetup._auto_backend_sentinel:
                # Nothing was chosen yet: leave the choice to matplotlib again, as before.
                rc._set("backend", before)
                if pyplot is not None and hasattr(pyplot, "_backend_mod"):
                    pyplot._backend_mod = backend_mod
            else:
                try:
                    mpl.use(before)                        # pyplot.switch_backend(before) if pyplot is imported
                except ImportError:
                    rc._set("backend", before)
        defaults._set("backend", default_before)
        rc["backend_fallback"] = fallback


def broken_assumptions() -> list[str]:
    """What no longer holds of the private APIs above, in the installed matplotlib and ipympl ([] when all do)."""
    problems = []
    rc = mpl.rcParams
    if not (callable(getattr(rc, "_get", None)) and callable(getattr(rc, "_set", None))):
        problems.append("matplotlib.rcParams has no _get / _set")
    elif rc._get("backend") not in (rc["backend"], getattr(rcsetup, "_auto_backend_sentinel", None)):
        problems.append("rcParams._get('backend') is neither the backend nor the auto sentinel")
    if not hasattr(rcsetup, "_auto_backend_sentinel"):
        problems.append("matplotlib.rcsetup._auto_backend_sentinel is gone")
    import matplotlib.pyplot as pyplot
    if not hasattr(pyplot, "_backend_mod"):
        problems.append("matplotlib.pyplot._backend_mod is gone")
    if not ipympl_installed():
        return problems
    from matplotlib.figure import Figure
    canvas = ipympl_canvas(Figure(figsize=(1, 1), dpi=20), lambda rgba, alpha=False, level=3: b"")
    for name in ("_png_is_old", "_force_full", "_last_buff", "set_image_mode", "syncing_data_url", "_data_url",
                 "_closed"):
        if not hasattr(canvas, name):
            problems.append(f"ipympl's Canvas has no {name}")
    base = type(canvas).__mro__[1]
    if "get_diff_image" not in vars(base) and not hasattr(base, "get_diff_image"):
        problems.append("ipympl's Canvas has no get_diff_image to replace")
    return problems

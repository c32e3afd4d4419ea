"""Rendering: the figure and the widget that shows it, blitting, the PNG encoders, render modes.

A full draw leaves out the artists a slider move changes (they are "animated") and keeps that
background; a move restores it and draws only those artists on top. Then:

- render="frames" (the default): every λ of the grid is drawn once, as an indexed PNG (one palette for
  all, `palette.encode_frames`) in a ``widgets.Image``; the images are the pages of a ``widgets.Tab``
  that the browser flips with the slider (``jsdlink``), with no kernel round trip, even in a static HTML
  page. A Tab (unlike a Stack, which makes a new view, so a new decoded image, for every page shown)
  keeps every page's view and only hides the others: a move is a CSS change of pictures already in the
  page. Its tab bar is hidden by a stylesheet (`FRAMES_CSS`) carried by an extra last page that is never
  selected: an HTML widget works the same in JupyterLab, Voilà and a static page;
- render="image": each move sends a new PNG into one ``widgets.Image``;
- render="ipympl": each move sends the changed pixels through ipympl's canvas.
"""

from __future__ import annotations

import logging
import struct
import zlib
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, IdentityTransform

from .. import _validate as v
from . import _mpl_private

logger = logging.getLogger("regcourse.explore")

RENDER_MODES = ("auto", "frames", "ipympl", "image")
MAX_ROW_WIDTH = 9.6      # inches: panels wrap to a new row beyond this, so the figure fits a notebook
PANEL_HEIGHT = 3.7       # inches per row of panels
# render="frames": the Tab shows its pages without a tab bar or a frame around them
FRAMES_CSS = """<style>
.jupyter-widgets.regcourse-figure.widget-tab > .widget-tab-bar { display: none !important; }
.jupyter-widgets.regcourse-figure.widget-tab > .widget-tab-contents { padding: 0; border: none; background: none; }
</style>"""


class FigureView:
    """An explorer's figure, laid out in rows of panels, and the widget that shows it (`widget`)."""

    def __init__(self, render: str, widths: list[float], dpi: float, figsize: tuple[float, float] | None):
        self.render = render
        scale = max(1.0, mpl.rcParams["font.size"] / 11)        # bigger fonts (projector): bigger figure
        self.rows = panel_rows([scale * w for w in widths], MAX_ROW_WIDTH * scale)
        self.widths = widths
        if figsize is None:
            width = max(sum(scale * widths[i] for i in row) for row in self.rows)
            figsize = (width, scale * PANEL_HEIGHT * len(self.rows))
        self.figure = Figure(figsize=figsize, dpi=dpi)
        if render == "ipympl":
            self.widget = _mpl_private.ipympl_canvas(self.figure, png_bytes)
        else:
            FigureCanvasAgg(self.figure)
            self.widget = self._image() if render == "image" else widgets.Tab()
        self.widget.add_class("regcourse-figure")
        self.panels: list = []
        self.blit = True                  # False: redraw the whole figure on every move (benchmarks)
        self.encode = png_bytes           # render="image": pixels (H, W, 4) -> the PNG bytes sent
        self.keep_axes_boxes = False      # True: full draws note each axes' place, for redraw_axes
        self._dynamic, self._overlays, self._overlay_boxes, self._background = [], [], [], None
        self._background_size = None      # the canvas size the background was kept at
        self._axes_boxes: dict = {}
        self.figure.canvas.mpl_connect("draw_event", self._on_draw)

    def _image(self) -> widgets.Image:
        w, h = self.figure.canvas.get_width_height()
        return widgets.Image(format="png", width=w, height=h, layout=widgets.Layout(width=f"{w}px", height=f"{h}px"))

    @property
    def images(self) -> list[widgets.Image]:
        """render="frames": the Tab's pages that show a frame, the one of λ index k at k (the stylesheet,
        last, left out)."""
        return list(self.widget.children[:-1])

    def show_frames(self, frames: list[bytes], k: int) -> None:
        """render="frames": put the frame PNGs into the Tab's images (made the first time), showing frame k."""
        tab = self.widget
        if len(self.images) != len(frames):
            style = widgets.HTML(FRAMES_CSS, layout=widgets.Layout(display="none"))
            tab.children = [*(self._image() for _ in frames), style]
        for image, frame in zip(self.images, frames):
            image.value = frame
        tab.selected_index = k

    def pixels(self) -> np.ndarray:
        """A copy of the pixels of the last redraw, (H, W, 4) uint8 (a frame of render="frames", before
        palette.encode_frames makes it a PNG)."""
        return np.asarray(self.figure.canvas.buffer_rgba()).copy()

    def draw(self, make_panels: Callable[[Callable], list]) -> None:
        """Draw the panels from scratch; the layout is then frozen for fast redraws.

        ``make_panels(axes_for)`` builds the panels, calling ``axes_for(i, n)`` for the n axes of panel i.
        If it raises, the figure is left blank with a note, drawable and displayable, and the error goes on.
        """
        fig = self.figure
        self.panels, self._dynamic, self._overlays, self._overlay_boxes = [], [], [], []
        self._background = None
        fig.clear()
        fig.set_layout_engine("constrained")
        try:
            self.panels = make_panels(self._axes_grid())
            self._dynamic = [a for panel in self.panels for a in panel.dynamic if a is not None]
            self._overlays = [a for panel in self.panels for a in panel.overlays if a is not None]
            for artist in self._dynamic:
                artist.set_animated(True)     # left out of full draws: see _on_draw
            fig.canvas.draw()                 # lay out once ...
        except Exception:
            self.panels, self._dynamic, self._overlays = [], [], []
            fig.clear()
            fig.text(0.5, 0.5, "this picture could not be drawn (see the error below)", ha="center", va="center")
            raise
        finally:
            fig.set_layout_engine("none")     # ... then keep it: no layout work on a slider move

    def _axes_grid(self) -> Callable:
        """axes_for(i, n): n axes (1, or 2 stacked) in the place of panel i."""
        fig = self.figure
        outer = fig.add_gridspec(len(self.rows), 1)
        widest = max(sum(self.widths[i] for i in row) for row in self.rows)
        places = {}
        for r, row in enumerate(self.rows):
            widths = [self.widths[i] for i in row]
            if sum(widths) < widest - 0.5:                     # a short last row keeps the panels' shape
                widths.append(widest - sum(widths))
            gs = outer[r].subgridspec(2, len(widths), width_ratios=widths)
            places.update({i: (gs, j) for j, i in enumerate(row)})

        def axes_for(i: int, n: int) -> list:
            gs, j = places[i]
            return [fig.add_subplot(gs[0, j]), fig.add_subplot(gs[1, j])] if n == 2 else [fig.add_subplot(gs[:, j])]
        return axes_for

    def _on_draw(self, event):
        """After every full draw: keep the background, then add the dynamic artists to the picture."""
        canvas = self.figure.canvas
        if not canvas.is_saving():
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._background_size = canvas.get_width_height(physical=True)
            height = self._background_size[1]
            self._overlay_boxes = [pixel_box(a.get_window_extent(event.renderer), height) for a in self._overlays]
            # each axes' place with its ticks and labels in this picture (redraw_axes paints over it)
            self._axes_boxes = ({ax: ax.get_tightbbox(event.renderer) for ax in self.figure.axes}
                                if self.keep_axes_boxes else {})
        for artist in self._dynamic + self._overlays:
            artist.draw(event.renderer)

    def redraw(self) -> None:
        """Show the panels' changes: draw only the dynamic artists over the background, send the pixels."""
        canvas = self.figure.canvas
        background = self._background
        if not self.blit or background is None or self._background_size != canvas.get_width_height(physical=True):
            canvas.draw()                   # first time, or the size or dpi changed
        else:
            canvas.restore_region(background)
            renderer = canvas.get_renderer()
            for artist in self._dynamic:
                artist.draw(renderer)
            for box in self._overlay_boxes:     # legends: copy their pixels back, don't redraw them
                canvas.restore_region(background, bbox=box, xy=(0, 0))
            if self.render == "ipympl":
                canvas.blit(self.figure.bbox)   # ipympl sends the changed pixels to the browser
        if self.render == "image":
            self.widget.value = self.encode(np.asarray(canvas.buffer_rgba()))

    def redraw_axes(self, axes) -> None:
        """`redraw`, after the limits of some axes changed: re-render only those axes (ticks, labels,
        legend) into the kept background, not the whole figure; then draw the dynamic artists.
        Needs `keep_axes_boxes` (set before the full draw); without it, this is a full draw."""
        canvas, patch = self.figure.canvas, self.figure.patch
        if (self._background is None or not self.blit or not self.keep_axes_boxes or patch.get_facecolor()[3] < 1
                or not patch.get_visible()):
            canvas.draw()                   # nothing kept yet, or no opaque colour to paint an axes' place with
        else:
            renderer = canvas.get_renderer()
            canvas.restore_region(self._background)
            for ax in axes:             # paint over the axes' old place and its new one (tick labels change width)
                old = self._axes_boxes.get(ax)
                self._axes_boxes[ax] = new = ax.get_tightbbox(renderer)
                box = (Bbox.union([old, new]) if old is not None else new).padded(1)
                Rectangle((box.x0, box.y0), box.width, box.height, transform=IdentityTransform(), figure=self.figure,
                          facecolor=patch.get_facecolor(), edgecolor="none", linewidth=0).draw(renderer)
                ax.draw(renderer)           # leaves the animated (dynamic) artists out, like a full draw
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        self.redraw()

    def png(self) -> bytes:
        """The figure as PNG bytes, after a full draw."""
        FigureCanvasAgg.draw(self.figure.canvas)
        return png_bytes(np.asarray(self.figure.canvas.buffer_rgba()))

    def to_array(self) -> np.ndarray:
        """The figure's pixels (H, W, 4), after a full draw."""
        self.figure.canvas.draw()
        return np.asarray(self.figure.canvas.buffer_rgba()).copy()


def render_mode(render) -> str:
    """"frames", "image" or "ipympl": `render`, with "auto" resolved to "frames" (drawn in the browser, works
    without a kernel and in static pages; ipympl's front end is not needed)."""
    v.choice("render", render, RENDER_MODES)
    return "frames" if render == "auto" else render


def panel_rows(widths, max_width) -> list[list[int]]:
    """Indices of the panels on each row: fill a row until the next panel would pass max_width."""
    rows = [[]]
    for i, w in enumerate(widths):
        if rows[-1] and sum(widths[j] for j in rows[-1]) + w > max_width:
            rows.append([])
        rows[-1].append(i)
    return rows


def pixel_box(bbox, height: int) -> tuple[int, int, int, int]:
    """A display bbox (origin bottom left) as whole pixels (x0, y0, x1, y1) from the top left,
    grown by one pixel for the antialiased frame edge."""
    return (int(np.floor(bbox.x0)) - 1, height - int(np.ceil(bbox.y1)) - 1,
            int(np.ceil(bbox.x1)) + 1, height - int(np.floor(bbox.y0)) + 1)


def png_bytes(rgba: np.ndarray, alpha: bool = False, level: int = 3) -> bytes:
    """Encode an (H, W, 4) uint8 image as an RGB (or, with `alpha`, RGBA) PNG, fast.

    A minimal PNG writer (no row filters, zlib level 3): about 5x faster than Pillow's encoder on
    figure-like images, at a similar size, which is what keeps a slider move fast.
    """
    h, w = rgba.shape[:2]
    channels = 4 if alpha else 3
    raw = np.empty((h, 1 + channels * w), dtype=np.uint8)
    raw[:, 0] = 0                                       # filter type 0 (None) on every row
    raw[:, 1:] = rgba[..., :channels].reshape(h, channels * w)

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", w, h, 8, 6 if alpha else 2, 0, 0, 0)   # 8 bits, RGBA or RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw.tobytes(), level)) + chunk(b"IEND", b""))

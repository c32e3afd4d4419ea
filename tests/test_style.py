"""regcourse.style: nothing at import, projector and dark variants, a colour-blind-safe palette."""

import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from regcourse import style  # noqa: E402

TEXT_SIZE_KEYS = ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize", "ytick.labelsize",
                  "legend.fontsize", "legend.title_fontsize", "figure.titlesize")


@pytest.fixture(autouse=True)
def restore_rcparams():
    with mpl.rc_context():
        yield


def test_importing_the_package_changes_no_rcparams():
    code = ("import matplotlib as mpl; before = {k: repr(v) for k, v in mpl.rcParams.items()}; "
            "import regcourse.style, regcourse.plots, regcourse.explore; "
            "after = {k: repr(v) for k, v in mpl.rcParams.items()}; "
            "changed = [k for k in before if before[k] != after[k]]; print(changed)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"MPLBACKEND": "Agg", "PATH": ""}, cwd=str(Path(__file__).parents[1]))
    assert out.stdout.strip() == "[]"


def test_use_applies_the_settings_and_returns_nothing():
    assert style.use() is None
    applied = style.rc_params()
    for key, value in applied.items():
        if key != "axes.prop_cycle":
            assert mpl.rcParams[key] == value, key
    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][:2] == [style.OKABE_ITO["blue"],
                                                                      style.OKABE_ITO["vermillion"]]


def test_projector_makes_every_text_at_least_16_pt_and_lines_thicker():
    normal = style.rc_params()
    style.use(projector=True)
    projector = style.rc_params(projector=True)
    assert mpl.rcParams["font.size"] == projector["font.size"]
    for key in TEXT_SIZE_KEYS:
        assert projector[key] >= 16, key
    assert projector["lines.linewidth"] > normal["lines.linewidth"]


def test_dark_gives_a_dark_background_and_light_text():
    def luminance(color):
        return float(np.dot(to_rgb(color), [0.2126, 0.7152, 0.0722]))

    style.use(dark=True)
    params = style.rc_params(dark=True)
    assert mpl.rcParams["figure.facecolor"] == params["figure.facecolor"]
    assert luminance(params["figure.facecolor"]) < 0.15
    assert luminance(params["axes.facecolor"]) < 0.15
    for key in ("text.color", "axes.labelcolor", "xtick.color", "ytick.color"):
        assert luminance(params[key]) > 0.8, key


def test_context_restores_the_rcparams():
    size = mpl.rcParams["font.size"]
    with style.context(projector=True, dark=True):
        assert mpl.rcParams["font.size"] >= 16
    assert mpl.rcParams["font.size"] == size


def test_rc_params_applies_nothing():
    size = mpl.rcParams["font.size"]
    style.rc_params(projector=True)
    assert mpl.rcParams["font.size"] == size


def test_class_colours_and_markers():
    assert style.CLASS_MARKERS == ("o", "^")
    assert len(style.CLASS_COLORS) == 2 and style.CLASS_COLORS[0] != style.CLASS_COLORS[1]
    assert set(style.CLASS_COLORS) <= set(style.OKABE_ITO.values())


# Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1.0 (linear RGB).
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _linear(c):
    c = np.asarray(to_rgb(c))
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


@pytest.mark.parametrize("kind", sorted(CVD))
def test_the_two_class_colours_stay_apart_under_colour_blindness(kind):
    a, b = (np.clip(np.array(CVD[kind]) @ _linear(c), 0, 1) for c in style.CLASS_COLORS)
    assert np.linalg.norm(a - b) > 0.3, kind


@pytest.mark.parametrize("bad", [1, "yes", None])
def test_flags_must_be_booleans(bad):
    with pytest.raises(TypeError, match="projector"):
        style.use(projector=bad)
    with pytest.raises(TypeError, match="dark"):
        style.rc_params(dark=bad)


def test_import_regcourse_reaches_style_and_plots_without_touching_rcparams():
    code = ("import matplotlib as mpl; before = dict(mpl.rcParams); import regcourse; "
            "assert regcourse.style.PALETTE and regcourse.plots.plot_history; "
            "assert dict(mpl.rcParams) == before, 'rcParams changed'; "
            "regcourse.style.use(); assert dict(mpl.rcParams) != before; print('ok')")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr


def _inline_png_size(setup: str) -> tuple[int, int]:
    """Run `setup` and then a figure cell in a real kernel; the size of the PNG the inline backend shows."""
    import base64
    import struct

    import nbformat
    from nbclient import NotebookClient

    figure = ("import matplotlib.pyplot as plt\n"
              "fig, ax = plt.subplots(figsize=(4, 3))\n"
              "ax.plot([0, 1], [0, 1]); ax.set_title('a title'); ax.set_xlabel('$x_1$'); ax.set_ylabel('$x_2$')\n"
              "plt.show()")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(setup), nbformat.v4.new_code_cell(figure)])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    [png] = [o["data"]["image/png"] for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    return struct.unpack(">II", base64.b64decode(png)[16:24])


def test_in_a_notebook_figures_are_shown_whole_at_their_size():
    """After style.use() the inline backend shows a figure at figsize × dpi, as constrained layout fitted it;
    without it, the backend crops the figure to a tight box (a second drawing pass)."""
    styled = _inline_png_size("from regcourse import style\nstyle.use()\n%matplotlib inline")
    assert styled == (400, 300)
    unstyled = _inline_png_size("%matplotlib inline\nimport matplotlib as mpl\nmpl.rcParams['figure.dpi'] = 100")
    assert unstyled != (400, 300)


def test_use_outside_ipython_touches_no_notebook_settings():
    code = ("import sys; from regcourse import style; style.use(); "
            "print('IPython' in sys.modules, style.mpl.rcParams['figure.constrained_layout.use'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"MPLBACKEND": "Agg", "PATH": ""}, cwd=str(Path(__file__).parents[1]))
    assert out.stdout.split() == ["False", "True"]

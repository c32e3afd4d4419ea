"""Benchmark the λ explorers: build (precompute) time and the kernel-side latency of a slider move.

    python benchmarks/bench_explorer.py            # ~50 moves per explorer and render mode
    python benchmarks/bench_explorer.py --moves 20
    python benchmarks/bench_explorer.py --baseline # also time full redraws (no blitting), for comparison

A move is timed from the new λ to an up-to-date figure in the kernel:

* render="image":  set_lambda → in-place artist updates → Agg draw → PNG bytes in the Image widget;
* render="ipympl": set_lambda → in-place artist updates → blit onto the cached background →
  canvas.blit(), which makes the diff PNG ipympl sends to the browser (no full canvas.draw()).

"build s" is the time to build the explorer (train or fit the λ grid, precompute every picture); for
from_fit it leaves out the notebook's own training, which is done once before any timing.

The design budget is a median of at most 30 ms (DESIGN.md, "The explorers"). This is a script, not
a test: timings depend on the machine and on whatever else runs on it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import sys
import time

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from regcourse import data, explore, network  # noqa: E402

@functools.cache
def notebook_fit():
    """A batched run as a notebook trains it (not timed): what from_fit shows without training again."""
    X, Y = data.load("moons", m=300, seed=0)
    split = data.train_dev_test_split(X, Y, seed=0)
    fit = network.train(split.X_train, split.Y_train, (2, 20, 3, 1), lambd=explore.default_lambdas(), seed=0)
    return fit, split


def from_fit(render, **kwargs):
    fit, split = notebook_fit()
    return explore.NetworkExplorer.from_fit(fit, split, dataset="moons", seed=0, render=render, **kwargs)


CONFIGS = [
    ("LogisticExplorer (boundary, coefficients)", explore.LogisticExplorer, {}),
    ("LogisticExplorer L1 moons (boundary, coef.)", explore.LogisticExplorer, {"dataset": "moons", "penalty": "l1"}),
    ("LogisticExplorer (4 panels)", explore.LogisticExplorer,
     {"panels": ("boundary", "coefficients", "path", "curve")}),
    ("NetworkExplorer (boundary, weights)", explore.NetworkExplorer, {}),
    ("NetworkExplorer.from_fit (boundary, weights)", from_fit, {}),
    ("NetworkExplorer (boundary, units, curve)", explore.NetworkExplorer,
     {"layer_dims": (2, 10, 10, 10, 1), "panels": ("boundary", "units", "curve")}),
    ("NetworkExplorer tanh (boundary, tanh)", explore.NetworkExplorer,
     {"activation": "tanh", "panels": ("boundary", "tanh")}),
]


def time_moves(explorer, moves: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU milliseconds per slider move, over `moves` moves to random grid values.

    CPU time (of this process) is what the move costs; wall time also counts waiting for the cores
    when other programs run: on a busy machine the two differ a lot.
    """
    rng = np.random.default_rng(seed)
    grid = explorer.lambdas
    canvas = explorer.figure.canvas
    if explorer.render == "ipympl":
        canvas.syncing_data_url = False   # as once a browser has connected: only diff frames are made
    wall, cpu = [], []
    for _ in range(moves):
        target = rng.choice(grid[grid != explorer.lambd])
        start, start_cpu = time.perf_counter(), time.process_time()
        explorer.set_lambda(target)
        wall.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
    return np.array(wall), np.array(cpu)


@contextlib.contextmanager
def baseline(explorer):
    """The explorer as first written: every move redraws the whole figure, Pillow encodes the PNGs."""
    def pillow_png(rgba, alpha=False, level=3):
        out = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(rgba if alpha else rgba[..., :3])).save(out, format="png")
        return out.getvalue()

    fast_png = explore.render.png_bytes
    explorer.view.blit, explore.render.png_bytes = False, pillow_png
    try:
        yield
    finally:
        explorer.view.blit, explore.render.png_bytes = True, fast_png


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=50)
    parser.add_argument("--baseline", action="store_true",
                        help="also time each explorer with full redraws and Pillow's PNG encoder")
    args = parser.parse_args(argv)

    notebook_fit()                      # the notebook's own training, before any clock starts
    print(f"{'explorer':44s} {'render':7s} {'build s':>8s} {'median ms':>10s} {'p90 ms':>7s} {'max ms':>7s}"
          f" {'CPU median':>11s}")
    print("-" * 100)
    for name, cls, kwargs in CONFIGS:
        for render in ("image", "ipympl"):
            start = time.perf_counter()
            explorer = cls(render=render, **kwargs)
            build = time.perf_counter() - start
            explorer.set_lambda(explorer.lambdas[len(explorer.lambdas) // 2])   # warm up
            ms, cpu = time_moves(explorer, args.moves)
            flag = "" if np.median(ms) <= 30 else "  over budget"
            print(f"{name:44s} {render:7s} {build:8.2f} {np.median(ms):10.1f} {np.percentile(ms, 90):7.1f} "
                  f"{ms.max():7.1f} {np.median(cpu):11.1f}{flag}")
            if args.baseline:
                with baseline(explorer):
                    ms, cpu = time_moves(explorer, args.moves)
                print(f"{'  ... full redraw + Pillow PNG (before)':44s} {render:7s} {'':8s} {np.median(ms):10.1f} "
                      f"{np.percentile(ms, 90):7.1f} {ms.max():7.1f} {np.median(cpu):11.1f}")
    print(f"\nload average while running: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

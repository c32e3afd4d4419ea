"""Benchmark the λ explorers: build (precompute) time and the kernel-side latency of a slider move.

    python benchmarks/bench_explorer.py            # ~50 moves per explorer and render mode
    python benchmarks/bench_explorer.py --moves 20
    python benchmarks/bench_explorer.py --baseline # also time full redraws (no blitting), for comparison
    python benchmarks/bench_explorer.py --compare DIR   # side by side with the regcourse of another checkout
                                                        # (e.g. git worktree add DIR <commit>), moves interleaved

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
import importlib
import importlib.util
import io
import os
import sys
import time

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from regcourse import explore  # noqa: E402

@functools.cache
def notebook_fit(package=None):
    """A batched run as a notebook trains it (not timed): what from_fit shows without training again."""
    data, network = (importlib.import_module(f"{(package or 'regcourse')}.{name}") for name in ("data", "network"))
    X, Y = data.load("moons", m=300, seed=0)
    split = data.train_dev_test_split(X, Y, seed=0)
    fit = network.train(split.X_train, split.Y_train, (2, 20, 3, 1), lambd=explore.default_lambdas(), seed=0)
    return fit, split


def from_fit(render, package=None, **kwargs):
    fit, split = notebook_fit(package)
    module = importlib.import_module(f"{package}.explore") if package else explore
    return module.NetworkExplorer.from_fit(fit, split, dataset="moons", seed=0, render=render, **kwargs)


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


def load_package(root: str, name: str = "regcourse_compared"):
    """The regcourse package of another checkout at `root`, imported under `name` (its imports are relative)."""
    init = os.path.join(root, "regcourse", "__init__.py")
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[os.path.dirname(init)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return name


def build(cls, render, kwargs, package=None):
    if cls is from_fit:
        return from_fit(render, package, **kwargs)
    if package is None:
        return cls(render=render, **kwargs)
    return getattr(importlib.import_module(f"{package}.explore"), cls.__name__)(render=render, **kwargs)


def compare(root: str, moves: int) -> None:
    """Both versions built alike, then their slider moves interleaved, so that they share the machine's load."""
    other = load_package(root)
    print(f"side by side: A = {root}, B = this checkout; {moves} moves each, interleaved; medians in ms")
    print(f"{'explorer':44s} {'render':7s} {'A wall':>7s} {'B wall':>7s} {'A CPU':>7s} {'B CPU':>7s}")
    print("-" * 84)
    for name, cls, kwargs in CONFIGS:
        for render in ("image", "ipympl"):
            pair = [build(cls, render, kwargs, other), build(cls, render, kwargs)]
            for e in pair:
                e.set_lambda(e.lambdas[len(e.lambdas) // 2])
                if render == "ipympl":
                    e.figure.canvas.syncing_data_url = False
            rng = np.random.default_rng(0)
            times = np.zeros((2, 2, moves))               # version, (wall, cpu), move
            for i in range(moves):
                target = rng.choice(pair[0].lambdas[pair[0].lambdas != pair[0].lambd])
                for v, e in enumerate(pair):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    e.set_lambda(target)
                    times[v, :, i] = 1000 * (time.perf_counter() - start), 1000 * (time.process_time() - start_cpu)
            med = np.median(times, axis=2)
            print(f"{name:44s} {render:7s} {med[0, 0]:7.1f} {med[1, 0]:7.1f} {med[0, 1]:7.1f} {med[1, 1]:7.1f}")
    print(f"\nload average while running: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=50)
    parser.add_argument("--baseline", action="store_true",
                        help="also time each explorer with full redraws and Pillow's PNG encoder")
    parser.add_argument("--compare", metavar="DIR", help="time side by side with the regcourse of checkout DIR")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(args.compare, args.moves)

    notebook_fit()                      # the notebook's own training, before any clock starts
    print(f"{'explorer':44s} {'render':7s} {'build s':>8s} {'median ms':>10s} {'p90 ms':>7s} {'max ms':>7s}"
          f" {'CPU median':>11s}")
    print("-" * 100)
    for name, cls, kwargs in CONFIGS:
        for render in ("image", "ipympl"):
            start = time.perf_counter()
            explorer = build(cls, render, kwargs)
            build_s = time.perf_counter() - start
            explorer.set_lambda(explorer.lambdas[len(explorer.lambdas) // 2])   # warm up
            ms, cpu = time_moves(explorer, args.moves)
            flag = "" if np.median(ms) <= 30 else "  over budget"
            print(f"{name:44s} {render:7s} {build_s:8.2f} {np.median(ms):10.1f} {np.percentile(ms, 90):7.1f} "
                  f"{ms.max():7.1f} {np.median(cpu):11.1f}{flag}")
            if args.baseline:
                with baseline(explorer):
                    ms, cpu = time_moves(explorer, args.moves)
                print(f"{'  ... full redraw + Pillow PNG (before)':44s} {render:7s} {'':8s} {np.median(ms):10.1f} "
                      f"{np.percentile(ms, 90):7.1f} {ms.max():7.1f} {np.median(cpu):11.1f}")
    print(f"\nload average while running: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

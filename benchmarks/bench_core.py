"""Benchmark the core trainer: regcourse.network against scikit-learn, and batched over lambd against a loop.

    python benchmarks/bench_core.py                 # 2000 iterations, median of 3 repeats
    python benchmarks/bench_core.py --repeats 5 --iterations 1000

What is timed (wall clock, median of the repeats), all on m = 300 moons and the 2-20-3-1 network with
ReLU hidden units and a sigmoid output, full-batch gradient descent, learning rate 0.5:

1. One fit with one lambd: ``network.train(..., lambd=0.7)``, next to scikit-learn's MLPClassifier on the
   same network and the same optimization: hidden_layer_sizes=(20, 3), activation="relu", solver="sgd",
   batch_size=m (full batch), momentum=0, no Nesterov, constant learning rate 0.5, no shuffling.
   scikit-learn's loss is mean cross-entropy + alpha / (2 n_samples) * sum ||W||_F^2, ours is
   mean cross-entropy + lambd / (2m) * sum ||W||_F^2, so alpha = lambd. tol=0 with n_iter_no_change
   larger than max_iter keeps it from stopping early (it must report n_iter_ = iterations).
   Per iteration = wall time / iterations.
2. The lambd sweep behind the explorers: 25 values (0 and a log grid 1e-3 ... 1e2) in one batched call
   ``network.train(..., lambd=array)``, against a Python loop of 25 single fits. Per model-iteration of
   the batched sweep = wall time / (25 * iterations), compared with scikit-learn's per-iteration time.

With ``--baseline DIR`` (DIR holds another copy of the ``regcourse`` package, e.g. the previous commit's),
the regcourse rows are timed for both copies in the same process, alternating run by run, and printed side
by side with the ratio new / baseline: the way to compare two versions on a shared, loaded machine.

    git show HEAD~1:regcourse ... ; python benchmarks/bench_core.py --baseline /tmp/old_regcourse

Targets (from the performance issue): the batched sweep at least 10x faster than the loop, and a
batched model-iteration at most 0.3x scikit-learn's iteration. This is a script, not a test: timings
depend on the machine and on whatever else runs on it (the load average is printed with the table).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from regcourse import data, network  # noqa: E402

M = 300
LAYER_DIMS = [2, 20, 3, 1]
LEARNING_RATE = 0.5
LAMBD = 0.7
LAMBDAS = np.concatenate([[0.0], np.logspace(-3, 2, 24)])  # 25 values, as in the explorers
TARGET_SPEEDUP = 10.0
TARGET_RATIO = 0.3


def median_wall(fn, repeats):
    """Median wall-clock seconds of `repeats` calls of fn, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def sklearn_mlp(iterations):
    return MLPClassifier(hidden_layer_sizes=tuple(LAYER_DIMS[1:-1]), activation="relu", solver="sgd",
                         batch_size=M, momentum=0.0, nesterovs_momentum=False, learning_rate="constant",
                         learning_rate_init=LEARNING_RATE, alpha=LAMBD, max_iter=iterations, tol=0.0,
                         n_iter_no_change=iterations + 1, shuffle=False, early_stopping=False, random_state=0)


def run(iterations, repeats):
    X, Y = data.make_moons(M, seed=0)

    def single(lambd):
        return network.train(X, Y, LAYER_DIMS, lambd=lambd, learning_rate=LEARNING_RATE,
                             num_iterations=iterations)

    def fit_sklearn():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return sklearn_mlp(iterations).fit(X.T, Y[0])

    single(LAMBD)  # warm up imports and allocations once
    t_single, fit = median_wall(lambda: single(LAMBD), repeats)
    t_sklearn, clf = median_wall(fit_sklearn, repeats)
    if clf.n_iter_ != iterations:
        raise RuntimeError(f"scikit-learn stopped after {clf.n_iter_} iterations, not {iterations}")
    t_batched, sweep = median_wall(lambda: single(LAMBDAS), repeats)
    t_loop, _ = median_wall(lambda: [single(float(lambd)) for lambd in LAMBDAS], repeats)

    K = len(LAMBDAS)
    per_it_single, per_it_sklearn = t_single / iterations, t_sklearn / clf.n_iter_
    per_model_it = t_batched / (K * iterations)
    speedup, ratio = t_loop / t_batched, per_model_it / per_it_sklearn
    return {
        "rows": [
            (f"regcourse, one fit (lambd = {LAMBD:g})", f"{t_single:.3f} s", f"{per_it_single * 1e6:.1f} us", "", ""),
            ("scikit-learn MLPClassifier, same net (alpha = lambd)", f"{t_sklearn:.3f} s",
             f"{per_it_sklearn * 1e6:.1f} us", "", ""),
            (f"regcourse batched sweep, {K} lambd in one call", f"{t_batched:.3f} s",
             f"{per_model_it * 1e6:.1f} us / model", "", ""),
            (f"Python loop of {K} single fits", f"{t_loop:.3f} s", f"{t_loop / (K * iterations) * 1e6:.1f} us / model",
             "", ""),
            ("speed-up: loop / batched", f"{speedup:.2f}x", "", f">= {TARGET_SPEEDUP:g}x",
             "PASS" if speedup >= TARGET_SPEEDUP else "SHORT"),
            ("batched model-iteration / scikit-learn iteration", f"{ratio:.2f}x", "", f"<= {TARGET_RATIO:g}x",
             "PASS" if ratio <= TARGET_RATIO else "SHORT"),
        ],
        "accuracy": (fit.accuracy(X, Y), clf.score(X.T, Y[0]), sweep.accuracy(X, Y)),
    }


def print_table(result, iterations, repeats):
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"regcourse core benchmark: m = {M} moons, network {'-'.join(map(str, LAYER_DIMS))} (ReLU, sigmoid out), "
          f"full batch, lr {LEARNING_RATE:g}, {iterations} iterations, median of {repeats} (wall clock)")
    print(f"{os.cpu_count()} CPUs, load average {load:.2f}; numpy {np.__version__}, scikit-learn {sklearn.__version__}")
    header = ("", "time", "per iteration", "target", "verdict")
    rows = [header] + result["rows"]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    line = "+".join("-" * (w + 2) for w in widths)
    for i, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])]
        print(" " + " | ".join(cells))
        if i == 0:
            print(line)
    ours, theirs, sweep = result["accuracy"]
    print(f"(training accuracy: regcourse {ours:.3f}, scikit-learn {theirs:.3f}; "
          f"sweep {sweep.min():.3f} ... {sweep.max():.3f} over lambd)")


def load_baseline(directory):
    """The `regcourse` package found in `directory`, imported under the name regcourse_baseline."""
    import importlib.util

    init = os.path.join(directory, "regcourse", "__init__.py")
    spec = importlib.util.spec_from_file_location("regcourse_baseline", init,
                                                  submodule_search_locations=[os.path.dirname(init)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["regcourse_baseline"] = module
    spec.loader.exec_module(module)
    return module


def side_by_side(baseline, iterations, repeats):
    """The regcourse timings for this package and `baseline`, alternating run by run."""
    X, Y = data.make_moons(M, seed=0)
    packages = {"this": network, "baseline": baseline.network}
    cases = {
        f"one fit (lambd = {LAMBD:g})": lambda net: net.train(X, Y, LAYER_DIMS, lambd=LAMBD, learning_rate=LEARNING_RATE,
                                                              num_iterations=iterations),
        f"one fit, L1 (lambd = {LAMBD:g})": lambda net: net.train(X, Y, LAYER_DIMS, lambd=LAMBD, penalty="l1",
                                                                  learning_rate=LEARNING_RATE, num_iterations=iterations),
        f"batched sweep, {len(LAMBDAS)} lambd": lambda net: net.train(X, Y, LAYER_DIMS, lambd=LAMBDAS,
                                                                       learning_rate=LEARNING_RATE,
                                                                       num_iterations=iterations),
        f"batched sweep, {len(LAMBDAS)} lambd, tanh, L1": lambda net: net.train(
            X, Y, LAYER_DIMS, lambd=LAMBDAS, penalty="l1", activation="tanh", learning_rate=LEARNING_RATE,
            num_iterations=iterations),
    }
    rows = []
    for name, fn in cases.items():
        times = {label: [] for label in packages}
        for label, net in packages.items():   # warm up once
            fn(net)
        for _ in range(repeats):
            for label, net in packages.items():
                start = time.perf_counter()
                fn(net)
                times[label].append(time.perf_counter() - start)
        this, base = statistics.median(times["this"]), statistics.median(times["baseline"])
        rows.append((name, f"{base:.3f} s", f"{this:.3f} s", f"{this / base:.2f}"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"side by side, {iterations} iterations, median of {repeats} alternating runs, load average {load:.2f}")
    header = ("", "baseline", "this", "this / baseline")
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(4)]
    for i, row in enumerate([header] + rows):
        print(" " + " | ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]))
        if i == 0:
            print("+".join("-" * (w + 2) for w in widths))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", metavar="DIR", help="a directory holding another regcourse package to "
                                                           "time side by side with this one")
    args = parser.parse_args(argv)
    if args.baseline:
        import warnings as _warnings

        _warnings.simplefilter("ignore")
        side_by_side(load_baseline(args.baseline), args.iterations, args.repeats)
    else:
        print_table(run(args.iterations, args.repeats), args.iterations, args.repeats)


if __name__ == "__main__":
    main()

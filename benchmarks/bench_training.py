"""Benchmark the live TrainingExplorer: frames per second of ``step_frames(n)`` and each frame's split.

    python benchmarks/bench_training.py                      # 100 frames at 1, 5 and 10 iterations per frame
    python benchmarks/bench_training.py --frames 50 --speeds 5
    python benchmarks/bench_training.py --baseline 5dd2366   # the same, beside the explorer of that commit

A frame is `iterations_per_frame` gradient steps from the current weights (network.train warm
start), the new numbers (costs, train/dev accuracy, the probability map) and the drawing: in-place
artist updates, a blit over the cached background (the axes whose limits grew re-rendered), PNG
bytes into the Image widget. The split is "train" (network.train + measuring) and "draw"
(everything after). The target is >= 20 frames/s.

Wall-clock time suffers when other processes share the cores, so the CPU time of this process
(time.process_time, single-threaded BLAS) is reported beside it: frames/s(cpu) is what one free
core gives. With --baseline, the two explorers take turns (blocks of 10 frames), so a change in the
machine's load hits both alike. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from regcourse.explore import TrainingExplorer  # noqa: E402

BLOCK = 10          # frames per turn when two explorers take turns


def baseline_class(revision: str):
    """TrainingExplorer as regcourse/explore/training.py was at `revision` (git), with today's other modules."""
    root = Path(__file__).resolve().parents[1]
    source = subprocess.run(["git", "show", f"{revision}:regcourse/explore/training.py"], cwd=root, check=True,
                            capture_output=True, text=True).stdout
    name = "regcourse.explore._training_baseline"
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "regcourse.explore"
    sys.modules[name] = module
    exec(compile(source, f"{revision}:training.py", "exec"), module.__dict__)
    return module.TrainingExplorer


class Run:
    """One explorer at one speed, timed frame by frame."""

    def __init__(self, cls, speed: int):
        self.explorer, self.speed = cls(iterations_per_frame=speed), speed
        self.explorer.step_frames(5)                 # warm up (first full draws)
        self.walls, self.cpus, self.splits = [], [], []

    def frames(self, n: int) -> None:
        for _ in range(n):
            wall, cpu = time.perf_counter(), time.process_time()
            self.explorer.step_frames(1)
            self.walls.append(time.perf_counter() - wall)
            self.cpus.append(time.process_time() - cpu)
            self.splits.append(self.explorer.frame_seconds)

    def row(self, label: str) -> str:
        splits, n = np.array(self.splits), len(self.walls)
        return (f"{label:>9} {self.speed:>10} {n / sum(self.walls):>9.1f} {n / sum(self.cpus):>14.1f} "
                f"{1e3 * np.median(self.walls):>10.1f} {1e3 * np.median(splits[:, 0]):>9.1f} "
                f"{1e3 * np.median(splits[:, 1]):>8.1f} {1e3 * np.mean(splits[:, 1]):>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--speeds", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--baseline", metavar="REVISION", help="also time training.py of this git revision")
    args = parser.parse_args()
    variants = [("now", TrainingExplorer)]
    if args.baseline:
        variants.insert(0, (args.baseline[:9], baseline_class(args.baseline)))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'explorer':>9} {'iter/frame':>10} {'frames/s':>9} {'frames/s(cpu)':>14} {'median ms':>10} {'train ms':>9} "
          f"{'draw ms':>8} {'draw mean':>9}")
    for speed in args.speeds:
        runs = [(label, Run(cls, speed)) for label, cls in variants]
        for done in range(0, args.frames, BLOCK):
            for _, run in runs:
                run.frames(min(BLOCK, args.frames - done))
        for label, run in runs:
            print(run.row(label))
            run.explorer.close()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

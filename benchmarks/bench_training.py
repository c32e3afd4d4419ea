"""Benchmark the live TrainingExplorer: frames per second of ``step_frames(n)`` and each frame's split.

    python benchmarks/bench_training.py                 # 100 frames at 1, 5 and 10 iterations per frame
    python benchmarks/bench_training.py --frames 50 --speeds 5

A frame is `iterations_per_frame` gradient steps from the current weights (network.train warm
start), the new numbers (costs, train/dev accuracy, the probability map) and the drawing: in-place
artist updates, a blit over the cached background, PNG bytes into the Image widget. The split is
"train" (network.train + measuring) and "draw" (everything after). The target is >= 20 frames/s.

Wall-clock time suffers when other processes share the cores, so the CPU time of this process
(time.process_time, single-threaded BLAS) is reported beside it: frames/s(cpu) is what one free
core gives. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from regcourse.explore import TrainingExplorer  # noqa: E402


def measure(speed: int, frames: int) -> dict:
    explorer = TrainingExplorer(iterations_per_frame=speed)
    explorer.step_frames(5)                      # warm up (first full draws)
    walls, cpus, splits = [], [], []
    for _ in range(frames):
        wall, cpu = time.perf_counter(), time.process_time()
        explorer.step_frames(1)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        splits.append(explorer.frame_seconds)
    explorer.close()
    splits = np.array(splits)
    return {"speed": speed, "fps_wall": frames / sum(walls), "fps_cpu": frames / sum(cpus),
            "median_ms": 1e3 * np.median(walls), "train_ms": 1e3 * np.median(splits[:, 0]),
            "draw_ms": 1e3 * np.median(splits[:, 1]), "iteration": explorer.iteration}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--speeds", type=int, nargs="+", default=[1, 5, 10])
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'iter/frame':>10} {'frames/s':>9} {'frames/s(cpu)':>14} {'median ms':>10} {'train ms':>9} {'draw ms':>8}")
    for speed in args.speeds:
        r = measure(speed, args.frames)
        print(f"{r['speed']:>10} {r['fps_wall']:>9.1f} {r['fps_cpu']:>14.1f} {r['median_ms']:>10.1f} "
              f"{r['train_ms']:>9.1f} {r['draw_ms']:>8.1f}")


if __name__ == "__main__":
    main()

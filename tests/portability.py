"""Run the notebook checks (nbval) under several OpenBLAS kernel families.

Each OpenBLAS kernel family rounds matrix products differently in the last bit, and so do
MKL, Apple's Accelerate and the BLAS on a student's laptop. A stored notebook output that
depends on that last bit fails on the next machine. This module is how one CI box stands in
for many: it runs nbval once per configuration below, each in a fresh process whose
environment forces the kernel family (``OPENBLAS_CORETYPE``) before numpy loads.

Used by ``tests/test_portability.py`` (part of ``python3 course.py test``), and as a script
while writing a notebook::

    .venv/bin/python tests/portability.py notebooks/05_weight_decay.ipynb

which prints, per configuration, the cells whose output differs from the stored one.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NBVAL_ARGS = [
    "--nbval",
    "--nbval-current-env",
    "--nbval-cell-timeout=120",
    "--nbval-sanitize-with",
    str(ROOT / "tests" / "nbval_sanitize.cfg"),
]


@dataclass(frozen=True)
class Config:
    """One BLAS configuration: a name and the environment variables it sets (None: unset)."""

    name: str
    env: dict = field(default_factory=dict)
    # CPU flags (as in /proc/cpuinfo) the kernel family executes; without them it would crash
    needs: tuple = ()

    def environ(self, base=None) -> dict:
        env = dict(os.environ if base is None else base)
        for key, value in self.env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env


# The matrix. "unset" is what a machine picks by itself; the others force a family.
# SkylakeX needs AVX-512 and runs only where the CPU has it.
CONFIGS = (
    Config("unset", {"OPENBLAS_CORETYPE": None, "OPENBLAS_NUM_THREADS": None}),
    Config("Prescott", {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": None}, ("pni",)),
    Config("Nehalem", {"OPENBLAS_CORETYPE": "Nehalem", "OPENBLAS_NUM_THREADS": None}, ("sse4_2",)),
    Config("Sandybridge", {"OPENBLAS_CORETYPE": "Sandybridge", "OPENBLAS_NUM_THREADS": None}, ("avx",)),
    Config("Haswell", {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": None}, ("avx2", "fma")),
    Config("Haswell, 1 thread", {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1"},
           ("avx2", "fma")),
    Config("SkylakeX", {"OPENBLAS_CORETYPE": "SkylakeX", "OPENBLAS_NUM_THREADS": None},
           ("avx512f", "avx512bw", "avx512vl", "avx512dq")),
)

_PROBE = (
    "import json, numpy, threadpoolctl\n"
    "numpy.ones((8, 8)) @ numpy.ones((8, 8))\n"
    "blas = [i for i in threadpoolctl.threadpool_info() if i.get('user_api') == 'blas']\n"
    "print(json.dumps([{k: i.get(k) for k in ('internal_api', 'architecture', 'num_threads')}"
    " for i in blas]))\n"
)


def cpu_flags() -> set[str] | None:
    """The CPU's feature flags from /proc/cpuinfo, or None where there is no such file."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


@dataclass(frozen=True)
class Probe:
    """What a configuration really loads: BLAS library, kernel family and thread count."""

    config: Config
    ok: bool
    blas: str = ""
    architecture: str = ""
    threads: int = 0
    why: str = ""

    @property
    def key(self):
        """Configurations with the same key compute bit-identical products."""
        return (self.blas, self.architecture, self.threads)

    def describe(self) -> str:
        if not self.ok:
            return f"{self.config.name}: not run ({self.why})"
        return f"{self.config.name}: {self.blas} {self.architecture}, {self.threads} thread(s)"


def probe(config: Config, python: str = sys.executable) -> Probe:
    """Start a Python with the configuration's environment and ask which BLAS kernel it runs."""
    flags = cpu_flags()
    if config.needs and platform.machine() not in ("x86_64", "AMD64"):
        return Probe(config, False, why=f"an x86-64 kernel family; this CPU is {platform.machine()}")
    if config.needs and flags is not None and not set(config.needs) <= flags:
        missing = ", ".join(sorted(set(config.needs) - flags))
        return Probe(config, False, why=f"this CPU lacks {missing}")
    try:
        out = subprocess.run([python, "-c", _PROBE], env=config.environ(), capture_output=True,
                             text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return Probe(config, False, why="probing numpy timed out")
    if out.returncode != 0:
        return Probe(config, False, why=f"numpy failed to start (exit {out.returncode})")
    libs = json.loads(out.stdout.strip().splitlines()[-1])
    if not libs:
        return Probe(config, False, why="numpy reports no BLAS library")
    lib = libs[0]
    if config.env.get("OPENBLAS_CORETYPE") and lib["internal_api"] != "openblas":
        return Probe(config, False, why=f"numpy uses {lib['internal_api']}, not OpenBLAS")
    return Probe(config, True, lib["internal_api"], str(lib["architecture"]), int(lib["num_threads"]))


@dataclass
class Outcome:
    """One nbval run: which cells failed, the exit status, the time taken and the log."""

    probe: Probe
    returncode: int
    failed: list[str]
    seconds: float
    log: str

    @property
    def passed(self) -> bool:
        return self.returncode == 0


_FAILED = re.compile(r"^FAILED (\S+::Cell \d+)", re.MULTILINE)


@functools.cache
def course_module():
    """course.py, loaded from its path: it runs outside .venv and is no package to import."""
    spec = importlib.util.spec_from_file_location("course", ROOT / "course.py")
    course = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course)
    return course


def session_options(n_notebooks: int) -> list[str]:
    """The options `python3 course.py test` gives its notebook session: a notebook per CPU at
    a time (pytest-xdist, each notebook whole in one kernel, so nothing it computes changes),
    and a faster pytest start."""
    return course_module().notebook_session_options(n_notebooks)


def run_nbval(config: Config, notebooks, python: str = sys.executable, probed: Probe | None = None,
              extra_args=()) -> Outcome:
    """nbval (strict) over `notebooks` in a fresh process under `config`'s environment, run as
    `python3 course.py test` runs its notebook session."""
    probed = probed or probe(config, python)
    notebooks = list(notebooks)
    argv = [python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rf", *session_options(len(notebooks)),
            *NBVAL_ARGS, *map(str, notebooks), *extra_args]
    start = time.perf_counter()
    out = subprocess.run(argv, env=config.environ(), cwd=str(ROOT), capture_output=True, text=True)
    log = out.stdout + out.stderr
    return Outcome(probed, out.returncode, _FAILED.findall(log), time.perf_counter() - start, log)


def distinct(probes):
    """The probes that ran, keeping the first of each group computing bit-identical products,
    and a map from each dropped configuration's name to the one standing for it."""
    kept, same_as = [], {}
    for p in probes:
        if not p.ok:
            continue
        twin = next((k for k in kept if k.key == p.key), None)
        if twin is None:
            kept.append(p)
        else:
            same_as[p.config.name] = twin.config.name
    return kept, same_as


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    notebooks = [Path(a) for a in args] or sorted(NOTEBOOKS.glob("*.ipynb"))
    probes = [probe(c) for c in CONFIGS]
    kept, same_as = distinct(probes)
    for p in probes:
        note = f"  (same kernel as {same_as[p.config.name]})" if p.config.name in same_as else ""
        print(p.describe() + note)
    status = 0
    for p in kept:
        outcome = run_nbval(p.config, notebooks, probed=p)
        cells = ", ".join(c.replace("notebooks/", "") for c in outcome.failed) or "none"
        print(f"\n== {p.config.name}: {'passed' if outcome.passed else 'FAILED'} in "
              f"{outcome.seconds:.1f} s; cells that differ: {cells}", flush=True)
        if not outcome.passed:
            status = 1
            if not outcome.failed:
                print(outcome.log[-3000:])
    return status


if __name__ == "__main__":
    sys.exit(main())

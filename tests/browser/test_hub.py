"""A class of five on a real JupyterHub: deploy/jupyterhub_config.py in demo mode, on 127.0.0.1.

The hub (jupyterhub + configurable-http-proxy) starts from the config kept in the repo, with
the shared-password authenticator and one local process per student. Five students log in at
the same time in headless Chromium; the hub starts their servers. The first student comes
through the README's nbgitpuller link (pointed at a local git repository of the course), so
nbgitpuller clones the course into their home; the others get my-notebooks/, made by the
config's pre-spawn hook (both from stripped copies of the notebooks). Each student then has
notebook 01 open, runs all cells through the Run menu and moves the explorer's λ slider; the
five move their sliders at the same time, in different directions, and each move must change
the status line and the figure's pixels.

Measured and written to test-artifacts/hub/measurements.json (and shown in the terminal):
  - hub start to usable (the login page answers), and login to a Lab page with an idle kernel;
  - memory (RSS, and PSS/USS) of each student's server and notebook kernel after Run All;
  - CPU seconds each student used for Run All and per slider move;
  - slider latency (keypress to new pixels) with one student moving alone, then with all five;
  - the sizing rule for the README that follows from these numbers.
Screenshots of every student's page and two of them side by side go to test-artifacts/hub/.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import psutil
import pytest

from browser_support import (
    ARTIFACTS, REPO, ERROR_OUTPUTS_JS, ExplorerDriver, Server, Shots, find_executable, free_port,
    notifications, processes_showing, start_run_all, summarize, wait_explorers, wait_kernel_idle,
    wait_run_all,
)

pytestmark = [pytest.mark.browser, pytest.mark.hub]

STUDENTS = [f"student{k}" for k in range(1, 6)]
NOTEBOOK = "01_overfitting.ipynb"
CONFIG = REPO / "deploy" / "jupyterhub_config.py"
HUB_ARTIFACTS = ARTIFACTS.parent / "hub"
SPAWN_TIMEOUT_S = 300   # five servers starting at once on a small, busy machine
RUN_ALL_TIMEOUT_S = 420
MOVE_TIMEOUT_MS = 60_000
ROUNDS = 5              # slider moves per student with all five moving at once
SOLO_PRESSES = 5        # slider moves of one student while the others are idle
MB = 1024 * 1024


@pytest.fixture(scope="module")
def hub(hub_proxy, jupyter_env, notebook_copies, tmp_path_factory):
    """The course's hub in demo mode, on free ports; stopped (with every student server) after."""
    state = tmp_path_factory.mktemp("hub")
    port, hub_port, api_port = free_port(), free_port(), free_port()
    password = secrets.token_urlsafe(18)
    env = dict(jupyter_env, REGCOURSE_HUB="demo", REGCOURSE_HUB_PASSWORD=password,
               REGCOURSE_HUB_STATE=str(state), REGCOURSE_HUB_PORT=str(port),
               REGCOURSE_HUB_NOTEBOOKS=str(notebook_copies.dir))
    argv = [find_executable("jupyterhub"), "-f", str(CONFIG), f"--JupyterHub.hub_port={hub_port}",
            f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{api_port}"]
    if os.environ.get("REGCOURSE_CHP"):
        argv.append(f"--ConfigurableHTTPProxy.command={hub_proxy}")
    for name in STUDENTS:
        prepare_home(state / "homes" / name, jupyter_env)
    server = Server("JupyterHub", argv, env, state, HUB_ARTIFACTS / "hub.log",
                    f"http://127.0.0.1:{port}", password)
    try:
        server.start("/hub/login", auth=False)
        server.state = state
        yield server
    finally:
        server.stop()


def prepare_home(home: Path, jupyter_env):
    """What a class image would hold for each student: matplotlib's font cache (else the first
    import prints a notice into notebook 01), and, for the test, Lab settings that keep every
    cell attached and do not autosave."""
    cache = home / ".cache" / "matplotlib"
    cache.mkdir(parents=True)
    for font_list in Path(jupyter_env["MPLCONFIGDIR"]).glob("fontlist*.json"):
        (cache / font_list.name).write_bytes(font_list.read_bytes())
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    for rel, value in {"notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
                       "docmanager-extension/plugin.jupyterlab-settings": {"autosave": False}}.items():
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(json.dumps(value))


@pytest.fixture(scope="module")
def course_repo(tmp_path_factory, notebook_copies) -> Path:
    """A git repository of the course (stripped notebooks) for nbgitpuller to clone, named like
    the real one so the clone lands where the README's link expects it."""
    repo = tmp_path_factory.mktemp("origin") / "regcourse"
    shutil.copytree(notebook_copies.dir, repo / "notebooks")
    git = ["git", "-c", "user.name=regcourse test", "-c", "user.email=test@regcourse.invalid", "-C", str(repo)]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "course"]):
        subprocess.run(git + args, check=True, capture_output=True)
    return repo


def readme_nbgitpuller_link(repo: Path) -> str:
    """The README's nbgitpuller link (Hosting a class), with its repo pointed at `repo`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"https://HUB(/hub/user-redirect/git-pull\?\S+)", readme)
    assert found, "README.md has no nbgitpuller link https://HUB/hub/user-redirect/git-pull?..."
    link = urlsplit(found[0])
    query = parse_qs(link.query, strict_parsing=True)
    assert set(query) == {"repo", "branch", "urlpath"}, query
    assert Path(urlsplit(query["repo"][0]).path).name == repo.name, "the clone's folder name changes"
    query["repo"] = [str(repo)]
    return link.path + "?" + urlencode({k: v[0] for k, v in query.items()})


# ------------------------------------------------------------------- the students' processes

def student_processes(hub_pid: int) -> dict:
    """{student: (server process, [kernel processes])} among the hub's descendants."""
    found = {}
    for proc in psutil.Process(hub_pid).children(recursive=True):
        try:
            if "jupyterhub-singleuser" not in " ".join(proc.cmdline()):
                continue
            user = proc.environ().get("JUPYTERHUB_USER")
        except psutil.Error:
            continue
        found[user] = (proc, [k for k in proc.children(recursive=True)
                              if "ipykernel" in " ".join(k.cmdline())])
    return found


def memory_mb(procs) -> dict:
    rss = pss = uss = 0
    for proc in procs:
        info = proc.memory_full_info()
        rss, pss, uss = rss + info.rss, pss + getattr(info, "pss", 0), uss + info.uss
    return {"rss": round(rss / MB), "pss": round(pss / MB), "uss": round(uss / MB)}


def cpu_seconds(procs) -> float:
    total = 0.0
    for proc in procs:
        t = proc.cpu_times()
        total += t.user + t.system
    return total


def cpu_of_this_run() -> dict:
    """{pid: CPU seconds} of this test process and everything it started (hub, proxy, student
    servers and kernels, Playwright, Chromium): what a CI runner pays for the test."""
    me = psutil.Process()
    found = {}
    for proc in [me, *me.children(recursive=True)]:
        try:
            found[proc.pid] = cpu_seconds([proc])
        except psutil.Error:
            pass
    return found


def cpu_by_student(hub_pid):
    return {name: cpu_seconds([server, *kernels])
            for name, (server, kernels) in student_processes(hub_pid).items()}


# ------------------------------------------------------------------------------ the test

def test_a_class_of_five_on_jupyterhub(hub, course_repo, open_page, notebook_copies, record_property):
    t_test, cpu_start = time.monotonic(), cpu_of_this_run()
    facts = notebook_copies.facts[NOTEBOOK]
    HUB_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    links = {name: f"/hub/user-redirect/lab/tree/my-notebooks/{NOTEBOOK}" for name in STUDENTS}
    links[STUDENTS[0]] = readme_nbgitpuller_link(course_repo)
    pages, shots, sessions, drivers = {}, {}, {}, {}
    phases = {}  # wall seconds per step, to see where a run spends its time

    # Five students log in at the same moment; the hub starts their servers.
    for name in STUDENTS:
        sessions[name] = open_page(hub.base_url)
        page = pages[name] = sessions[name].page
        shots[name] = Shots(page, name, "hub")
        page.goto(f"{hub.base_url}/hub/login?next={quote(links[name])}")
        page.fill("#username_input", name)
        page.fill("#password_input", hub.token)
    clicked = {}
    for name in STUDENTS:
        clicked[name] = time.time()
        pages[name].click("#login_submit", no_wait_after=True)
    usable = {}
    try:
        for name in STUDENTS:
            page = pages[name]
            page.wait_for_url(f"**/user/{name}/lab/tree/**/{NOTEBOOK}*", timeout=SPAWN_TIMEOUT_S * 1000)
            wait_kernel_idle(page, f"for {name} after the hub started the server", SPAWN_TIMEOUT_S)
            # When the Lab page began loading, by the page's own clock (the waits above are serial).
            usable[name] = page.evaluate("() => performance.timeOrigin") / 1000 - clicked[name]
        phases["login_to_five_idle_kernels"] = time.monotonic() - t_test
        assert "/lab/tree/regcourse/notebooks/" in pages[STUDENTS[0]].url, pages[STUDENTS[0]].url
        clone = hub.state / "homes" / STUDENTS[0] / "regcourse"
        assert (clone / ".git").is_dir() and (clone / "notebooks" / NOTEBOOK).is_file(), (
            "nbgitpuller did not clone the course into the student's home")
        procs = student_processes(hub.proc.pid)
        assert sorted(procs) == STUDENTS, f"one server per student expected, found {sorted(procs)}"
        assert not processes_showing(hub.token), "the shared password is visible in process arguments"
        leaks = [line for line in (" ".join(p.cmdline()) for p in psutil.Process(hub.proc.pid)
                                   .children(recursive=True)) if "token" in line.lower()]
        assert not leaks, f"a token in process arguments: {leaks}"

        # All five run all cells at once.
        cpu0 = cpu_by_student(hub.proc.pid)
        t0 = time.monotonic()
        for name in STUDENTS:
            start_run_all(pages[name])
        for name in STUDENTS:
            wait_run_all(pages[name], facts, f"{name}'s {NOTEBOOK}", RUN_ALL_TIMEOUT_S)
        run_all_wall = phases["run_all"] = time.monotonic() - t0
        cpu1 = cpu_by_student(hub.proc.pid)
        memory = {name: {"server": memory_mb([server]), "kernel": memory_mb(kernels),
                         "total": memory_mb([server, *kernels])}
                  for name, (server, kernels) in student_processes(hub.proc.pid).items()}
        for name, mem in memory.items():
            assert mem["kernel"]["rss"] > 0, f"{name}: no notebook kernel is running"

        for name in STUDENTS:
            wait_explorers(pages[name], facts, name)
            drivers[name] = ExplorerDriver(pages[name], 0, shots[name], f"{name}'s explorer")
            drivers[name].wait_ready(timeout_s=RUN_ALL_TIMEOUT_S)
            assert not notifications(pages[name]), f"{name} sees notifications: {notifications(pages[name])}"

        phases["explorers_ready"] = time.monotonic() - t0 - run_all_wall
        # One student moves the slider while the others are idle...
        t0 = time.monotonic()
        solo = []
        for press in range(SOLO_PRESSES):
            drv = drivers[STUDENTS[0]]
            drv.begin_press(next_key(drv, +1))
            solo.append(pixels_ms(drv.finish(f"solo move {press}", timeout_ms=MOVE_TIMEOUT_MS), drv))
        # ... then all five at once, half of them towards larger λ, half towards smaller.
        phases["solo_moves"] = time.monotonic() - t0
        t0 = time.monotonic()
        cpu2 = cpu_by_student(hub.proc.pid)
        together = {name: [] for name in STUDENTS}
        for rnd in range(ROUNDS):
            for k, name in enumerate(STUDENTS):
                drivers[name].begin_press(next_key(drivers[name], +1 if k % 2 == 0 else -1))
            for name in STUDENTS:
                answer = drivers[name].finish(f"round {rnd}", timeout_ms=MOVE_TIMEOUT_MS)
                together[name].append(pixels_ms(answer, drivers[name]))
        cpu3 = cpu_by_student(hub.proc.pid)
        phases["moves_with_five"] = time.monotonic() - t0

        for name in STUDENTS:
            errors = pages[name].evaluate(ERROR_OUTPUTS_JS)
            assert not errors, f"{name}: error output:\n" + "\n---\n".join(errors)
            problems = sessions[name].console.problems()
            assert not problems, f"{name}: browser console:\n" + "\n".join(problems)
            drivers[name].check_no_error()
            shots[name].take("page")
        states = {name: drivers[name].snap()["readout"] for name in STUDENTS}
        assert len(set(states.values())) > 1, f"every student shows the same λ: {states}"
    except BaseException:
        for name in pages:
            shots[name].take("failure")
        raise
    finally:
        (HUB_ARTIFACTS / "steps.txt").write_text("\n".join(
            f"{name}: {line}" for name, drv in drivers.items() for line in drv.log) + "\n")

    side_by_side(shots[STUDENTS[0]].saved[-1], shots[STUDENTS[1]].saved[-1],
                 HUB_ARTIFACTS / "two-students-side-by-side.png")
    all_together = [ms for values in together.values() for ms in values]
    cpu_end = cpu_of_this_run()
    test_cpu = sum(cpu_end[pid] - cpu_start.get(pid, 0.0) for pid in cpu_end)
    report = {
        "measured_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
                    "memory_gb": round(psutil.virtual_memory().total / 1024 ** 3, 1)},
        "students": len(STUDENTS), "notebook": NOTEBOOK,
        "hub_start_to_login_page_s": round(hub.start_seconds, 1),
        "login_to_lab_page_s": {name: round(v, 1) for name, v in usable.items()},
        "run_all_wall_s_five_at_once": round(run_all_wall, 1),
        "run_all_cpu_s": {name: round(cpu1[name] - cpu0[name], 1) for name in STUDENTS},
        "memory_mb_after_run_all": memory,
        "slider_keypress_to_pixels_ms": {
            "one_student_moving": summarize(solo),
            "five_students_moving": summarize(all_together),
            "per_student_with_five": {name: summarize(v) for name, v in together.items()},
        },
        "cpu_ms_per_slider_move": round(1000 * statistics.median(
            (cpu3[name] - cpu2[name]) / ROUNDS for name in STUDENTS), 1),
        "lambda_shown_at_the_end": states,
        "phases_s": {k: round(v, 1) for k, v in phases.items()},
        "test_duration_s": round(time.monotonic() - t_test + hub.start_seconds, 1),
        # CPU the test itself used (after the hub started): on an otherwise idle runner with
        # N cores the test needs at least this / N seconds.
        "test_cpu_s_after_hub_start": round(test_cpu, 1),
    }
    report["sizing"] = sizing(report)
    (HUB_ARTIFACTS / "measurements.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    record_property("hub", report)
    print("\n" + json.dumps(report, indent=1, ensure_ascii=False))


def next_key(drv: ExplorerDriver, direction: int) -> str:
    """ArrowRight/ArrowLeft in `direction`, turning back at the slider's ends."""
    snap = drv.snap()
    if not snap["min"] <= snap["now"] + direction <= snap["max"]:
        direction = -direction
    return "ArrowRight" if direction > 0 else "ArrowLeft"


def pixels_ms(answer, drv) -> float:
    snap, latency = answer
    assert latency["pixels_ms"] is not None, f"{drv.label}: the slider moved but the figure did not change"
    return latency["pixels_ms"]


def side_by_side(left: Path, right: Path, out: Path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    a, b = plt.imread(left), plt.imread(right)
    height = max(a.shape[0], b.shape[0])
    pad = lambda im: np.pad(im, ((0, height - im.shape[0]), (0, 0), (0, 0)), constant_values=1.0)  # noqa: E731
    gap = np.ones((height, 16, a.shape[2]), dtype=a.dtype)
    plt.imsave(out, np.concatenate([pad(a), gap, pad(b)], axis=1))


def sizing(report) -> dict:
    """Students per GB and per core, from this run (see the README's "Hosting a class").

    Memory: the largest per-student RSS (server + kernel; shared libraries counted for each
    student, as separate containers count them) with 50 % headroom for the other notebooks.
    CPU: the class pressing Run All within the same minute is the peak; between runs, slider
    moves cost little."""
    worst_rss = max(m["total"]["rss"] for m in report["memory_mb_after_run_all"].values())
    run_all_cpu = statistics.median(report["run_all_cpu_s"].values())
    per_student_mb = 1.5 * worst_rss
    return {
        "memory_per_student_mb_with_headroom": round(per_student_mb),
        "students_per_gb": round(1024 / per_student_mb, 1),
        "run_all_cpu_s_per_student": round(run_all_cpu, 1),
        "students_per_core_if_all_run_all_within_a_minute": round(60 / run_all_cpu, 1),
        "slider_moves_per_core_second": round(1000 / max(report["cpu_ms_per_slider_move"], 1), 1),
    }

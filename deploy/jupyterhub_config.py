# JupyterHub for a class taking regcourse: a starting point for an instructor.
#
#   jupyterhub -f deploy/jupyterhub_config.py
#
# Two modes:
#
# * A real class (the default). Students log in with the authenticator you choose and each
#   gets their own single-user JupyterLab. Change the three marked places below:
#     1. AUTHENTICATOR: JupyterHub's default (PAM: the machine's user accounts) works on a
#        machine where every student has an account. Otherwise use OAuthenticator (GitHub,
#        Google, your university's OpenID Connect: GenericOAuthenticator) or
#        NativeAuthenticator (sign-up with admin approval).
#     2. SPAWNER: the default starts a process per student as that student's user. For more
#        than a handful of students, or untrusted ones, use DockerSpawner or KubeSpawner
#        (Zero to JupyterHub) with an image built from this repo's environment.yml
#        (repo2docker does that) and the limits below.
#     3. COURSE FILES: install nbgitpuller in the students' environment and hand out the
#        link in the README ("Hosting a class"): each student gets a clone of the course in
#        their home, and later clicks merge course updates without losing their edits.
#
# * A demo or test hub: REGCOURSE_HUB=demo. Anyone logs in with any name and the shared
#   password in REGCOURSE_HUB_PASSWORD (8 characters or more; SharedPasswordAuthenticator);
#   every student server runs as the user starting the hub (SimpleLocalProcessSpawner, no
#   isolation), on 127.0.0.1 only (port 8000 unless REGCOURSE_HUB_PORT), with homes under
#   REGCOURSE_HUB_STATE/homes. On first start each home gets my-notebooks/, a copy of the
#   course's notebooks (REGCOURSE_HUB_NOTEBOOKS, default notebooks/) made like
#   `python3 course.py lab` makes one. tests/browser/test_hub.py runs the hub this way.
#   Never use demo mode for a real class.
#
# Ports: the public one is 8000 (c.JupyterHub.bind_url); the hub's internal API (8081) and the
# proxy's API (8001) can be moved with --JupyterHub.hub_port and --ConfigurableHTTPProxy.api_url.

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides get_config)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEMO = os.environ.get("REGCOURSE_HUB", "").strip().lower() in ("demo", "test")
STATE = Path(os.environ.get("REGCOURSE_HUB_STATE")
             or (Path(tempfile.gettempdir()) / "regcourse-hub" if DEMO else Path.cwd()))

# ------------------------------------------------------------------------- every hub

# The hub's own files (its database and the cookie secret) in one folder.
STATE.mkdir(parents=True, exist_ok=True)
c.JupyterHub.db_url = "sqlite:///" + str(STATE / "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")

# Students land in JupyterLab, with the course's Jupyter settings (no news pop-up, no
# update check, idle kernels shut down after an hour without an open tab): the same
# folder `python3 course.py lab` uses. In a container image, copy deploy/jupyter-config
# to /etc/jupyter (or the environment's etc/jupyter) instead.
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"JUPYTER_CONFIG_PATH": str(HERE / "jupyter-config")}

# A link into a student's server (the nbgitpuller link) starts it when it is not running,
# instead of showing a "Launch server" button first.
c.JupyterHub.implicit_spawn_seconds = 1

# A class logs in at once: on a small machine 30 servers starting together need more than
# JupyterHub's default 60 s / 30 s.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# Per-student limits, from tests/browser/test_hub.py's measurement (README, "Hosting a
# class"): one student server with notebook 01's kernel used about 0.3 GB. Container
# spawners (DockerSpawner, KubeSpawner) enforce these; local processes ignore them.
c.Spawner.mem_limit = "1G"
c.Spawner.mem_guarantee = "512M"
c.Spawner.cpu_limit = 1.0
c.Spawner.cpu_guarantee = 0.1

# The single-user server and the proxy from the environment running the hub, when they
# are there (a course .venv: `python3 course.py test` puts the proxy in .venv/node_modules).
_singleuser = Path(sys.executable).parent / "jupyterhub-singleuser"
if _singleuser.exists():
    c.Spawner.cmd = [str(_singleuser)]
_proxy = Path(sys.prefix) / "node_modules" / ".bin" / "configurable-http-proxy"
if _proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_proxy)]

# --------------------------------------------------------------- a real class: edit

if not DEMO:
    # 1. AUTHENTICATOR: who may log in, and who administers the hub, e.g.:
    #   c.Authenticator.allowed_users = {"ada", "alan"}   # or c.Authenticator.allow_all = True
    #   c.Authenticator.admin_users = {"instructor"}
    #   c.JupyterHub.authenticator_class = "github"      # pip install oauthenticator
    #   c.GitHubOAuthenticator.oauth_callback_url = "https://HUB/hub/oauth_callback"
    #   c.GitHubOAuthenticator.allowed_organizations = {"your-course-org"}
    # 2. SPAWNER, e.g.:
    #   c.JupyterHub.spawner_class = "docker"           # pip install dockerspawner
    #   c.DockerSpawner.image = "your-registry/regcourse:latest"   # repo2docker of this repo
    # 3. Put the hub behind HTTPS (c.JupyterHub.ssl_cert / ssl_key, or a reverse proxy).
    pass

# ------------------------------------------------------------------ demo / test hub

if DEMO:
    password = os.environ.get("REGCOURSE_HUB_PASSWORD", "")
    if not password:
        sys.exit("REGCOURSE_HUB=demo needs the shared password in REGCOURSE_HUB_PASSWORD")
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = password
    c.Authenticator.allow_all = True
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
    c.JupyterHub.bind_url = "http://127.0.0.1:{}".format(os.environ.get("REGCOURSE_HUB_PORT", "8000"))
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.Spawner.ip = "127.0.0.1"
    c.Spawner.default_url = "/lab/tree/my-notebooks/01_overfitting.ipynb"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        c.Spawner.args = ["--allow-root"]

    # Each student's working copy, made and kept up to date the way `course.py lab` does it.
    _spec = importlib.util.spec_from_file_location("regcourse_course", REPO / "course.py")
    _course = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_course)
    _notebooks = Path(os.environ.get("REGCOURSE_HUB_NOTEBOOKS") or REPO / "notebooks")

    def copy_course_notebooks(spawner):
        home = Path(spawner.home_dir)
        report = _course.sync_working_copy(_notebooks, home / "my-notebooks")
        spawner.log.info("regcourse: %s's my-notebooks/: %s", spawner.user.name,
                         {k: v for k, v in report.items() if v})

    c.Spawner.pre_spawn_hook = copy_course_notebooks

"""Build the static course site in _site/: every notebook executed fresh, as an HTML page whose
widgets (the λ explorers) keep working with no kernel, plus an index page with the course map.

Run through `python3 course.py site` (which sets up .venv first). By default
the pages are self-contained: require.js, the Jupyter widget manager and MathJax are copied
into _site/assets/ from their npm packages, so the site works opened from disk with no network.
With --cdn the pages link them from public CDNs instead (a smaller site to publish online).
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# npm packages the offline site bundles: name, version, what to copy from the package
ASSETS = {
    "requirejs": ("2.3.8", {"require.js": "require.js"}),
    "@jupyter-widgets/html-manager": ("1.0.15", {"dist": "html-manager"}),
    "mathjax": ("2.7.9", {p: f"mathjax/{p}" for p in (
        "MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions", "jax/input/TeX",
        "jax/output/CommonHTML", "jax/element", "localization/en", "fonts/HTML-CSS/TeX/woff")}),
}
LOCAL_URLS = {
    "require_js_url": "assets/require.js",
    "widget_renderer_url": "assets/html-manager/embed-amd.js",
    "mathjax_url": "assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
}
# source maps, the non-AMD builds, and font formats no current browser asks for
SKIP_SUFFIXES = (".map", ".d.ts", ".LICENSE.txt", "/embed.js", "/libembed-amd.js", ".eot", ".ttf", ".svg")


def tarball_name(package: str, version: str) -> str:
    """The file name `npm pack` gives a package's tarball."""
    return package.lstrip("@").replace("/", "-") + f"-{version}.tgz"


def fetch_assets(npm_cache: Path) -> None:
    """Fetch the npm tarballs not yet in `npm_cache` (`npm pack`: the package only, no install)."""
    missing = [f"{p}@{v}" for p, (v, _) in ASSETS.items() if not (npm_cache / tarball_name(p, v)).exists()]
    if not missing:
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("[site] ERROR: npm is needed once, to fetch " + ", ".join(missing) + " for an offline "
                 "site (Debian: apt-get install npm). Or build with --cdn to link them from CDNs instead.")
    npm_cache.mkdir(parents=True, exist_ok=True)
    print("[site] fetching from the npm registry: " + ", ".join(missing), flush=True)
    if subprocess.run([npm, "pack", "--silent", *missing], cwd=npm_cache).returncode != 0:
        sys.exit("[site] ERROR: `npm pack " + " ".join(missing) + "` failed; see the messages above.")


def copy_assets(npm_cache: Path, assets: Path) -> None:
    """Unpack the bundled files of each npm tarball into `assets`."""
    fetch_assets(npm_cache)
    if assets.exists():
        shutil.rmtree(assets)
    for package, (version, wanted) in ASSETS.items():
        tgz = npm_cache / tarball_name(package, version)
        with tarfile.open(tgz) as tar:
            for member in tar.getmembers():
                if not member.isfile() or member.name.endswith(SKIP_SUFFIXES):
                    continue
                inner = member.name.split("/", 1)[1]  # drop the leading "package/"
                for source, target in wanted.items():
                    if inner == source or inner.startswith(source + "/"):
                        dest = assets / (target + inner[len(source):])
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        dest.write_bytes(tar.extractfile(member).read())


def title_and_summary(nb) -> tuple[str, str]:
    """The notebook's # title and the first sentence of its first paragraph."""
    lines = nb.cells[0].source.splitlines()
    title = next((l.lstrip("# ").strip() for l in lines if l.startswith("# ")), "")
    body = " ".join(l.strip() for l in lines if l.strip() and not l.startswith("#")).split(". ")[0]
    return title, body.rstrip(".") + "."


def execute(path: Path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def export(nb, cdn: bool) -> str:
    exporter = HTMLExporter(template_name="lab")
    if not cdn:
        for name, url in LOCAL_URLS.items():
            setattr(exporter, name, url)
    body, _ = exporter.from_notebook_node(nb)
    return body


INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>regcourse: regularization you can see</title>
<style>
 body {{ font: 17px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
 h1 {{ font-size: 1.8rem; }} li {{ margin: 0.6rem 0; }} a {{ font-weight: 600; }}
 .note {{ color: #555; font-size: 0.95rem; }}
</style></head><body>
<h1>regcourse: regularization you can see</h1>
<p>An interactive course on regularization in neural networks: L2 and L1 penalties, the Frobenius norm,
weight decay, why it works, and how to choose λ. Every λ slider on these pages works without a running
kernel: the pictures for every λ are stored in the page.</p>
<ol>
{items}
</ol>
<p class="note">To run the code and do the exercises, open the course in JupyterLab:
<code>python3 course.py lab</code>. Built {built}.</p>
</body></html>
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="course.py site", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cdn", action="store_true",
                        help="link require.js, the widget manager and MathJax from CDNs (smaller, needs network)")
    parser.add_argument("--out", type=Path, default=ROOT / "_site", help="output folder (default: _site)")
    parser.add_argument("--npm-cache", type=Path, default=ROOT / ".venv" / "site-npm",
                        help="where the npm tarballs are kept between builds")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to build (default: all)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.html"):
        old.unlink()
    if args.cdn:
        shutil.rmtree(out / "assets", ignore_errors=True)
    else:
        copy_assets(args.npm_cache, out / "assets")
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    items = []
    for path in paths:
        t0 = time.perf_counter()
        nb = execute(path)
        page = out / (path.stem + ".html")
        page.write_text(export(nb, args.cdn), encoding="utf-8")
        title, summary = title_and_summary(nb)
        items.append(f'<li><a href="{page.name}">{html.escape(title)}</a><br>{html.escape(summary)}</li>')
        print(f"[site] {page.name}: {page.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s",
              flush=True)
    (out / "index.html").write_text(
        INDEX.format(items="\n".join(items), built=time.strftime("%Y-%m-%d")), encoding="utf-8")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    manifest = {"pages": [p.stem + ".html" for p in paths], "cdn": args.cdn, "bytes": size,
                "seconds": round(time.perf_counter() - start, 1)}
    (out / "site.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"[site] {out}: {len(paths)} pages + index.html, {size / 1e6:.1f} MB, "
          f"built in {manifest['seconds']} s ({'CDN links' if args.cdn else 'works offline'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

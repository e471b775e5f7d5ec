"""The package as a user installs it (issue 13): a wheel built from the checkout (not an
editable install) in a fresh virtual environment runs `auditlib run` and `auditlib batch` on
the bundled sample, finding the notebook, the sample and its params, the templates and the
catalogs as package data, in the CLI's process, the notebook's kernel and the Dask workers.

To stay inside CI's time the new environment does not install the dependencies again: a
`.pth` line puts this interpreter's site-packages after its own (a plain path line: the
editable install's finder in there is not run), so `auditlib` itself can only come from the
wheel, which the test asserts; JUPYTER_PATH names that interpreter's Jupyter data files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_SAMPLE = ROOT / "tests" / "fixtures" / "golden" / "sample.json"
SLUG = "nanchang-bigdata-2021"

pytestmark = pytest.mark.xdist_group("wheel")


def sh(*args, cwd: Path, env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """(base folder, the venv's python, the venv's site-packages, env) with the wheel installed."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"  # a copy: building must not leave build/ or *.egg-info in the checkout
    src.mkdir()
    shutil.copytree(ROOT / "auditlib", src / "auditlib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    proc = sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", src, cwd=base, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    [wheel] = (base / "dist").glob("auditlib-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("auditlib/workbench/audit.ipynb", "auditlib/samples/nanchang-bigdata-2021.yaml",
                 "auditlib/samples/nanchang-bigdata-2021.txt", "auditlib/report/templates/table.html.j2",
                 "auditlib/report/templates/auditlib.css", "auditlib/rules/catalog/t01-t03.yaml"):
        assert data in names, data
    assert not any(n.startswith("tests/") or "synth" in n for n in names)  # test support stays out

    venv = base / "venv"
    proc = sh(sys.executable, "-m", "venv", "--without-pip", venv, cwd=base, env=env)
    assert proc.returncode == 0, proc.stderr
    python = venv / "bin" / "python"
    site = Path(sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=base,
                   env=env).stdout.strip())
    (site / "zz-auditlib-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    proc = sh(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel,
              cwd=base, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # the data files of the reused dependencies (nbconvert's templates, the kernel spec) lie
    # under their environment's prefix, where a full install would put them under the venv's
    env = {**env, "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
           "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    return base, python, site, env


def test_auditlib_is_imported_from_the_wheel(venv):
    base, python, site, env = venv
    proc = sh(python, "-c", "import auditlib, auditlib.workbench.notebook as n, auditlib.cli as c; "
                            "print(auditlib.__file__); print(n.NOTEBOOK); print(c.SAMPLE_PARAMS)", cwd=base, env=env)
    assert proc.returncode == 0, proc.stderr
    package, notebook, params = (Path(p) for p in proc.stdout.split())
    assert package == site / "auditlib" / "__init__.py"
    assert notebook.is_file() and notebook.is_relative_to(site) and params.is_file() and params.is_relative_to(site)
    assert sh(python, "-c", "import tests.synth", cwd=base, env=env).returncode == 1


def golden_sample() -> dict:
    return json.loads(GOLDEN_SAMPLE.read_text(encoding="utf-8"))


def same_as_golden(findings: Path, site: Path) -> None:
    """findings.json of the installed package = the golden JSON of the sample (plus triage)."""
    data = json.loads(findings.read_text(encoding="utf-8"))
    assert data.pop("triage") == {}
    assert Path(data["document"]["path"]) == site / "auditlib" / "samples" / "nanchang-bigdata-2021.txt"
    data["document"]["path"] = "auditlib/samples/nanchang-bigdata-2021.txt"
    assert data == golden_sample()


def test_run_on_the_bundled_sample(venv):
    base, python, site, env = venv
    out = base / "run"
    proc = sh(Path(python).parent / "auditlib", "run", "--out", out, cwd=base, env=env)
    assert proc.returncode == 1, proc.stderr  # the sample has errors
    assert proc.stdout == ""
    folder = out / SLUG
    same_as_golden(folder / "findings.json", site)
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "审核报告" in page and "T06.public_total" in page
    assert (folder / "audit.ipynb").is_file()


def test_batch_on_the_bundled_sample(venv):
    base, python, site, env = venv
    out = base / "batch"
    samples = site / "auditlib" / "samples"  # its params file and the text it names: one department
    proc = sh(Path(python).parent / "auditlib", "batch", samples, "--out", out, "--workers", 1, "--no-progress",
              cwd=base, env=env)
    assert proc.returncode == 0, proc.stderr  # no department failed
    assert "审核 1 个部门" in proc.stderr
    same_as_golden(out / SLUG / "findings.json", site)
    assert (out / SLUG / "report.html").is_file() and SLUG in (out / "index.html").read_text(encoding="utf-8")
    con = duckdb.connect(str(out / "audit.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT document, status, errors FROM documents").fetchall() == [
            (SLUG, "ok", golden_sample()["summary"]["errors"])]
    finally:
        con.close()

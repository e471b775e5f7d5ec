"""The batch under faults (issue 24): a misread table, a worker killed mid-read and mid-notebook,
a read past its time limit, a read-only output folder, a full disk, a batch interrupted (Ctrl-C)
or killed (SIGKILL of its process group) and started again, two batches on one folder, corrupt
state files.  Each test asserts what the auditor sees (exit status, the one line, index.html,
the warehouse) and that every department checked before the fault still has its findings
(findings.json, its warehouse rows, its index entry).

A batch that could hang runs as `auditlib batch` in a process group of its own, SIGKILLed when
it outlives its deadline, so no test here can hang.  Departments are generated reports (fast
to read); the one read that must take long is the unruled print of the bundled sample (tabula's
JVM, ~15 s).
"""

from __future__ import annotations

import errno
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pikepdf
import psutil
import pytest

from auditlib.batch import state, warehouse
from auditlib.batch.jobs import Job, failure_reason
from auditlib.batch.tasks import task_notebook, task_read
from auditlib.errors import InputError
from auditlib.ingest import read_report
from auditlib.rules import check
from auditlib.rules.prior import long_form
from auditlib.workbench.params import SAMPLE, resolve_params
from tests import synth
from tests.cli import auditlib

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CHROMIUM_PDF = FIXTURES / "nanchang-bigdata-2021.chromium.pdf"
UNRULED_PDF = FIXTURES / "nanchang-bigdata-2021.unruled.pdf"  # read by tabula's JVM: slow
PARAMS = ROOT / "params"
DEADLINE = 240  # s: a batch process still running then is a hang

pytestmark = pytest.mark.xdist_group("batch-faults")  # one worker: each test starts a cluster of its own


# --- helpers -------------------------------------------------------------------------------------

def misread_t06(out: Path) -> Path:
    """The Chromium print of the bundled sample with the codes of four 公开06表 rows on page 6
    all printed as 30101 (30102, 30103 and 30106 recoded in the page's content stream, in the
    subset font where '0' is glyph 0x11): a misread table whose model repeats a row key."""
    def glyphs(code: str) -> bytes:
        return b"<" + "".join(f"{0x11 + int(d):04X}" for d in code).encode() + b">"

    with pikepdf.open(CHROMIUM_PDF) as pdf:
        page = pdf.pages[5]
        data = page.Contents.read_bytes()
        for code in ("30102", "30103", "30106"):
            assert data.count(glyphs(code)) == 1, code
            data = data.replace(glyphs(code), glyphs("30101"))
        page.Contents.write(data)
        pdf.save(out)
    return out


def reports(folder: Path, n: int, seed: int = 600) -> list[str]:
    """`n` generated departments d0…, as text files in `folder`; their slugs."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        synth.generate(seed + i, department=f"故障市第{i}局", year=2022).write(folder / f"d{i}.txt")
    return [f"d{i}" for i in range(n)]


def sql(out: Path, query: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(out / warehouse.FILE), read_only=True)
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def kept(out: Path, slugs, min_cells: int = 100) -> dict[str, float]:
    """Assert each department has its findings three times over, alike (findings.json, the
    warehouse, the index) and its cells in the warehouse; returns each one's findings.json
    modification time."""
    page = (out / "index.html").read_text(encoding="utf-8")
    seen = {}
    for slug in slugs:
        data = json.loads((out / slug / "findings.json").read_text(encoding="utf-8"))
        assert sql(out, "SELECT status FROM documents WHERE document = ?", [slug]) == [("ok",)], slug
        stored = sql(out, "SELECT key FROM findings WHERE document = ? ORDER BY key", [slug])
        assert [k for (k,) in stored] == sorted(f["key"] for f in data["findings"]), slug
        assert sql(out, "SELECT count(*) FROM cells WHERE document = ?", [slug])[0][0] >= min_cells, slug
        assert f'href="{slug}/report.html"' in page, slug
        seen[slug] = (out / slug / "findings.json").stat().st_mtime_ns
    return seen


def _as_from_a_terminal() -> None:
    """In a child before exec: Ctrl-C as a terminal delivers it (pytest-xdist's workers ignore
    SIGINT, and an ignored SIGINT is inherited)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _without_dac_override() -> None:
    """In a child before exec: drop the capabilities by which root writes anything
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set, so the program run obeys
    permission bits as any user does."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def batch_process(*args, obey_permissions: bool = False) -> subprocess.Popen:
    """`auditlib batch ARGS --no-progress` in a process group of its own; `obey_permissions`:
    as root too, it cannot write what its mode bits forbid."""
    def before_exec():
        _as_from_a_terminal()
        if obey_permissions and os.geteuid() == 0:
            _without_dac_override()

    return subprocess.Popen([sys.executable, "-m", "auditlib.cli", "batch", *map(str, args), "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            cwd=ROOT, preexec_fn=before_exec)


def finish(proc: subprocess.Popen, deadline: float = DEADLINE) -> subprocess.CompletedProcess:
    """Wait for a batch process; past `deadline` its whole group is SIGKILLed and the test fails."""
    try:
        out, err = proc.communicate(timeout=deadline)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"the batch was still running after {deadline} s (a hang):\n{err[-2000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def lines(stderr: str) -> list[str]:
    """The lines auditlib writes (`auditlib…`, and the summary `DIR：审核 …`): what the kernels
    print on their own (jupyter_client interrupts a kernel it shuts down) is left out."""
    return [l for l in stderr.splitlines() if l.startswith("auditlib") or "：审核 " in l]


def when_marked(out: Path, slug: str, phase: str, act, deadline: float = 120) -> dict:
    """Watch DIR/.batch/running/<pid>.json (a thread) and call `act(mark)` once `slug` is in `phase`."""
    seen: dict = {}

    def watch():
        folder = out / state.STATE / state.RUNNING
        stop = time.time() + deadline
        while time.time() < stop:
            for f in folder.glob("*.json") if folder.exists() else []:
                try:
                    mark = json.loads(f.read_text())
                except (OSError, ValueError):
                    continue
                if mark.get("slug") == slug and mark.get("phase") == phase:
                    act(mark)
                    seen.update(mark, still_marked=f.exists())
                    return
            time.sleep(0.02)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    seen["thread"] = t
    return seen


def gone(pid: int, within: float = 15) -> bool:
    """The process `pid` has ended (not merely stopped) within `within` seconds."""
    stop = time.time() + within
    while time.time() < stop:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


# --- the warehouse keeps every checked department -------------------------------------------------

def test_an_odd_model_is_written_row_by_row(tmp_path):
    """Whatever the model holds — a row key twice, a text, an infinite value, NaN pages, a
    finding whose value is a Series — the department is written with its findings, and what
    could not be written is counted and said in `notes`."""
    report = read_report(SAMPLE)
    result = check(report)
    t06 = report.tables["T06"].data
    odd = pd.concat([t06, t06.loc[["30101", "30102"]].rename(index={"30102": "30101"})])
    odd["amount"] = odd["amount"].astype(object)
    odd.loc["30103", "amount"] = "1,2"  # a text where a number belongs
    odd.loc["30106", "amount"] = math.inf
    odd["page"] = math.nan
    report.tables["T06"].data = odd
    result.findings[0].actual = pd.Series([1.0, 2.0])
    cells, notes = long_form(report)
    assert [(n[0], n[1], n[2]) for n in notes] == [("T06", "30101", None), ("T06", "30103", "amount"),
                                                  ("T06", "30106", "amount")]
    assert notes[0][3] == "公开06表 行键 30101 重复 3 次（基本工资、基本工资、津贴补贴；读取有误？），各行分别写入"
    assert notes[1][3] == "不是数值（str: 1,2），未写入" and notes[2][3] == "不是有限数值（inf），未写入"
    pending = warehouse.Pending(batch_id="b", version="v")
    job = Job(slug="odd", origin=str(SAMPLE), params=resolve_params(SAMPLE), sha256="0" * 64, params_hash="p")
    rows = pending.success(job, result, cells, notes)
    journaled = json.loads(json.dumps(rows.to_json(), ensure_ascii=False, allow_nan=False, default=str))
    assert warehouse.Rows.from_json(journaled) == rows  # as the journal keeps it (auditlib.batch.state)
    assert {t: len(rows.of(t)) for t in ("claims", "scores", "counts", "tables")} == {
        "claims": len(result.claims), "scores": 90, "counts": 10, "tables": 10}
    warehouse.write(tmp_path, pending)
    assert sql(tmp_path, "SELECT status, errors, cells_skipped FROM documents") == [("ok", result.errors, 2)]
    assert sql(tmp_path, "SELECT count(*) FROM findings")[0][0] == len(result.findings)
    assert sql(tmp_path, "SELECT actual, actual_text FROM findings WHERE key = ?", [result.findings[0].key]) == \
        [(None, str(result.findings[0].actual))]
    rows = sql(tmp_path, "SELECT value, page, name FROM cells WHERE table_code = 'T06' AND row_key = '30101' "
                         "ORDER BY value")
    assert rows == [(83.43, None, "津贴补贴"), (191.04, None, "基本工资"), (191.04, None, "基本工资")]
    assert sql(tmp_path, "SELECT count(*) FROM notes")[0][0] == 3
    values = [v for t in report.tables.values() for c in t.columns for v in t.data[c]]
    assert len(cells) == sql(tmp_path, "SELECT count(*) FROM cells")[0][0] == len(values) - 2  # the text, the inf
    assert sql(tmp_path, "SELECT count(*) FROM cells WHERE NOT blank AND value IS NOT NULL")[0][0] == \
        sum(1 for v in values if isinstance(v, float) and math.isfinite(v))
    assert sql(tmp_path, "SELECT count(*) FROM cells WHERE blank AND value IS NULL")[0][0] == \
        sum(1 for v in values if pd.isna(v)) > 0  # blank cells are kept, as blank


def test_a_reading_that_misreads_a_table_keeps_the_findings(tmp_path):
    """Four rows coded 30101 on one page (the cause of issue 24's lost department: the reader
    marked a repeat `key@page N` once, so the fourth took the third's key) each keep a key of
    their own now, and the read task keeps the check and every cell of the long form."""
    pdf = misread_t06(tmp_path / "misread.pdf")
    t06 = read_report(pdf).tables["T06"].data
    assert not t06.index.duplicated().any()
    assert sorted(k for k in t06.index if k.startswith("30101")) == [
        "30101", "30101@page 6", "30101@page 6#2", "30101@page 6#3"]
    value = task_read({"params": resolve_params(pdf), "out": str(tmp_path)})
    assert value["ok"] and value["result"].errors == check(read_report(pdf)).errors
    tables = read_report(pdf).tables.values()
    assert value["notes"] == [] and len(value["cells"]) == sum(t.data[t.columns].size for t in tables)
    assert sum(c[3] is not None for c in value["cells"]) == sum(int(t.data[t.columns].notna().to_numpy().sum())
                                                               for t in tables)


def test_failure_reasons_are_chinese_first(tmp_path, monkeypatch):
    """An unexpected exception is one Chinese line with the exception after it and the
    traceback in DIR/<slug>/error.log; a reader's own message is left as it is; a long form that
    fails keeps the findings."""
    assert failure_reason(ValueError("can only convert"), "read") == "读取并审核文件时出错（ValueError: can only convert）"
    assert failure_reason(OSError(errno.ENOSPC, "No space left on device"), "notebook") == \
        "运行笔记本时磁盘已满（OSError: [Errno 28] No space left on device）"
    assert failure_reason(MemoryError(), "read") == "读取并审核文件时内存不足（MemoryError）"
    assert failure_reason(InputError("a.pdf", "文件已损坏（corrupt）")) == "a.pdf: 文件已损坏（corrupt）"
    params = resolve_params(SAMPLE)

    def explode(*a, **k):
        raise ValueError("can only convert an array of size 1 to a Python scalar")

    monkeypatch.setattr("auditlib.rules.prior.long_form", explode)
    value = task_read({"params": params, "out": str(tmp_path)})
    assert value["ok"] and value["result"].findings and value["cells"] == []
    assert value["notes"] == [(None, None, None, "单元格未写入仓库：出错（ValueError: can only convert an array of "
                                                 "size 1 to a Python scalar）")]
    monkeypatch.setattr("auditlib.batch.tasks.check_run", explode)
    value = task_read({"params": params, "out": str(tmp_path)})
    assert value["reason"] == ("读取并审核文件时出错（ValueError: can only convert an array of size 1 to a Python "
                               "scalar）；详见 nanchang-bigdata-2021/error.log")
    log = (tmp_path / "nanchang-bigdata-2021" / "error.log").read_text(encoding="utf-8")
    assert log.startswith(value["reason"].split("；")[0]) and "Traceback" in log and "in explode" in log


def test_the_disk_full_in_a_worker_fails_that_department_in_one_line(tmp_path, monkeypatch):
    """ENOSPC while a worker writes a department's findings.json: the department fails with
    one Chinese line; the log, written where there is room, keeps the traceback."""
    from auditlib.workbench import runner

    real = runner.atomic_write_text

    def full(path, text):
        if Path(path).name == "findings.json":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, text)

    params = resolve_params(SAMPLE)
    read = task_read({"params": params, "out": str(tmp_path)})
    monkeypatch.setattr(runner, "atomic_write_text", full)
    value = task_notebook({"params": params, "out": str(tmp_path), "result": read["result"]})
    assert value == {"ok": False, "phase": "notebook", "log": "nanchang-bigdata-2021/error.log",
                     "reason": "运行笔记本时磁盘已满（OSError: [Errno 28] No space left on device: "
                               f"'{tmp_path / 'nanchang-bigdata-2021' / 'findings.json'}'）；"
                               "详见 nanchang-bigdata-2021/error.log"}


@pytest.mark.skipif(not (ROOT.parent / "shared" / "corpus").exists(), reason="needs ../shared/corpus")
def test_batch_over_the_sample_the_shanghai_reports_and_a_misread_one(tmp_path):
    """Must show: every department in index.html and in the warehouse, the misread one with
    its findings and every row of its misread table."""
    misread = misread_t06(tmp_path / "misread.pdf")
    given = [PARAMS / f"{p}.yaml" for p in ("nanchang-bigdata-2021", "shanghai-putuo-planning-2024",
                                            "shanghai-putuo-socialwork-2024", "shanghai-template-2024")]
    out = tmp_path / "out"
    proc = auditlib("batch", *given, misread, "--out", out, "--workers", 2, "--no-progress")
    slugs = [p.stem for p in given] + ["misread"]
    assert proc.returncode == 0, proc.stderr
    [said] = lines(proc.stderr)
    assert said.startswith(f"{out}：审核 5 个部门，未变化跳过 0 个，失败 0 个；已写出 index.html、audit.duckdb")
    kept(out, slugs, min_cells=0)
    assert sql(out, "SELECT document FROM documents WHERE status = 'ok' ORDER BY 1") == [(s,) for s in sorted(slugs)]
    model = read_report(misread)
    result = check(model)
    assert sql(out, "SELECT errors, warnings FROM documents WHERE document = 'misread'") == \
        [(result.errors, result.warnings)]
    t06 = model.tables["T06"].data
    assert sql(out, "SELECT count(*) FROM cells WHERE document = 'misread' AND table_code = 'T06' AND NOT blank")[0][0] \
        == int(t06["amount"].notna().sum()) == 57
    assert sql(out, "SELECT count(DISTINCT row_key) FROM cells WHERE document = 'misread' AND row_key LIKE '30101%'") \
        == [(4,)]


# --- workers killed, a read past its time limit ---------------------------------------------------

@pytest.mark.parametrize("phase", ["read", "notebook"])
def test_a_worker_killed_fails_its_department_alone(tmp_path, phase):
    """SIGKILL of the worker process while it reads (tabula's JVM on the unruled print) or runs
    a notebook: that department fails in one Chinese line, the two checked before keep their
    findings, and the batch ends."""
    inputs = tmp_path / "in"
    before = reports(inputs, 2)
    if phase == "read":
        shutil.copy(UNRULED_PDF, inputs / "z-victim.pdf")
    else:
        synth.generate(650, department="故障市受害局", year=2022).write(inputs / "z-victim.txt")
    out = tmp_path / "out"
    pause = 0.0 if phase == "read" else 1.0  # a notebook: once its kernel runs
    mark = when_marked(out, "z-victim", phase, lambda m: (time.sleep(pause), os.kill(m["pid"], signal.SIGKILL)),
                       deadline=DEADLINE)
    proc = finish(batch_process(inputs, "--out", out, "--workers", 1))
    assert mark.get("pid"), "the worker was never seen in that phase"
    doing = {"read": "读取并审核文件", "notebook": "运行笔记本"}[phase]
    reason = f"工作进程在{doing}时意外退出（Dask KilledWorker）"
    assert proc.returncode == 1
    assert lines(proc.stderr)[0] == f"auditlib: z-victim: {reason}"
    kept(out, before)
    assert sql(out, "SELECT status, reason FROM documents WHERE document = 'z-victim'") == [("failed", reason)]
    assert reason in (out / "index.html").read_text(encoding="utf-8")


def test_a_read_past_its_time_limit_is_killed_and_the_batch_goes_on(tmp_path):
    """A read stopped by SIGSTOP (as a C extension that ignores Python's interrupts and
    SIGTERM) in a department whose params give it 3 s: at the limit its worker is SIGKILLed,
    the department fails with 超时, the one checked before keeps its findings and the one
    after is checked on a fresh worker."""
    inputs = tmp_path / "in"
    reports(inputs, 2)
    shutil.copy(UNRULED_PDF, inputs / "slow.pdf")
    (inputs / "a.yaml").write_text("source: d0.txt\n", encoding="utf-8")
    (inputs / "b-slow.yaml").write_text("source: slow.pdf\ntimeout: 3\n", encoding="utf-8")
    out = tmp_path / "out"
    mark = when_marked(out, "b-slow", "read", lambda m: os.kill(m["pid"], signal.SIGSTOP), deadline=DEADLINE)
    t0 = time.monotonic()
    proc = finish(batch_process(inputs, "--out", out, "--workers", 1))
    assert mark.get("pid") and mark["still_marked"], "the worker was not stopped mid-read"
    assert gone(mark["pid"]), "the stopped worker is still there"
    reason = "超时：读取并审核文件超过 3 秒，已终止其工作进程（time limit, --timeout）"
    assert proc.returncode == 1
    assert lines(proc.stderr)[0] == f"auditlib: b-slow: {reason}"
    kept(out, ["a", "d1"])
    assert sql(out, "SELECT status, reason FROM documents WHERE document = 'b-slow'") == [("failed", reason)]
    assert reason in (out / "index.html").read_text(encoding="utf-8")
    assert time.monotonic() - t0 < DEADLINE / 2


# --- the output folder, the disk, the lock --------------------------------------------------------

def test_a_read_only_output_folder_stops_the_batch_before_any_work(tmp_path):
    """A DIR whose files and folders are read-only (the batch runs without root's override of
    permission bits when the tests run as root): one line, exit 2, DIR exactly as it was."""
    out = tmp_path / "out"
    assert auditlib("batch", SAMPLE, "--out", out, "--workers", 1, "--no-progress").returncode == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    everything = [out, *out.rglob("*")]
    for p in everything:
        p.chmod(p.stat().st_mode & ~0o222)
    try:
        proc = finish(batch_process(SAMPLE, "--out", out, "--force", obey_permissions=True))
    finally:
        for p in everything:
            p.chmod(p.stat().st_mode | 0o200)
    assert proc.returncode == 2
    assert lines(proc.stderr) == [f"auditlib: batch: 输出文件夹 {out} 不可写：没有读写权限（PermissionError: "
                                  f"Permission denied）；换一个输出文件夹（--out）或改其权限"]
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_the_disk_full_while_writing_the_warehouse(tmp_path, monkeypatch):
    """ENOSPC while the warehouse is written: one line, exit 2; the warehouse and the index
    keep the departments of the batch before, the new department's findings wait in the journal;
    the next run checks nothing again and writes them all."""
    inputs = tmp_path / "in"
    first = reports(inputs, 2)
    out = tmp_path / "out"
    assert auditlib("batch", inputs, "--out", out, "--workers", 1, "--no-progress").returncode == 0
    before = kept(out, first)
    synth.generate(700, department="故障市新局", year=2022).write(inputs / "new.txt")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(warehouse.shutil, "copyfile", full)
    proc = auditlib("batch", inputs, "--out", out, "--workers", 1, "--no-progress")
    assert proc.returncode == 2
    assert lines(proc.stderr) == ["auditlib: batch: 无法写出 audit.duckdb：磁盘已满（OSError: No space left on "
                                        "device）；已完成的部门已保留，问题解决后再次运行同一命令即从中断处继续"]
    assert kept(out, first) == before
    assert not sql(out, "SELECT * FROM documents WHERE document = 'new'")
    assert (out / state.STATE / state.JOURNAL / "new.json").exists() and (out / "new" / "findings.json").exists()
    checked = (out / "new" / "findings.json").stat().st_mtime_ns
    monkeypatch.undo()
    proc = auditlib("batch", inputs, "--out", out, "--workers", 1, "--no-progress")
    assert proc.returncode == 0 and "审核 0 个部门，未变化跳过 3 个" in proc.stderr
    assert kept(out, [*first, "new"]) == {**before, "new": checked}
    assert not list((out / state.STATE / state.JOURNAL).iterdir())


def test_a_second_batch_on_the_same_folder_stops_in_one_line(tmp_path):
    inputs = tmp_path / "in"
    slugs = reports(inputs, 2)
    out = tmp_path / "out"
    first = batch_process(inputs, "--out", out, "--workers", 1)
    lock = out / state.STATE / state.LOCK
    stop = time.time() + 60
    while time.time() < stop and not (lock.exists() and lock.read_text()):
        time.sleep(0.05)
    holder = json.loads(lock.read_text())
    assert holder["pid"] == first.pid
    second = auditlib("batch", inputs, "--out", out, "--workers", 1, "--no-progress")
    assert second.returncode == 2
    assert lines(second.stderr) == [
        f"auditlib: batch: 输出文件夹 {out} 正由另一个批量审核使用（进程 {first.pid}，主机 {holder['host']}，"
        f"{holder['started']} 开始）；等它结束后再运行，或换一个输出文件夹（--out）"]
    done = finish(first)
    assert done.returncode == 0, done.stderr
    kept(out, slugs)
    assert lock.read_text() == ""


@pytest.mark.parametrize("holder", ["another process", "this process"])
def test_a_warehouse_open_for_writing_stops_the_batch_and_stays(tmp_path, holder):
    """audit.duckdb held open for writing (an auditor's DuckDB session): whole, but busy: one
    line, exit 2, the file neither set aside nor changed."""
    out = tmp_path / "out"
    out.mkdir()
    warehouse.write(out, warehouse.Pending())
    path = out / warehouse.FILE
    before = path.read_bytes()
    if holder == "another process":
        held = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                                 "print('held', flush=True); time.sleep(120)", str(path)], stdout=subprocess.PIPE, text=True)
        assert held.stdout.readline() == "held\n"
        says = f"{path} 正被另一个程序以写方式打开，关闭它后再运行（IOException: IO Error: Could not set lock on file"
    else:
        held = duckdb.connect(str(path))
        says = f"{path} 正被本程序以写方式打开，关闭该连接后再运行（ConnectionException: Connection Error: Can't open"
    try:
        proc = auditlib("batch", SAMPLE, "--out", out, "--workers", 1, "--no-progress")
    finally:
        if holder == "another process":
            held.kill()
            held.wait()
        else:
            held.close()
    assert proc.returncode == 2
    [line] = lines(proc.stderr)
    assert line.startswith(f"auditlib: batch: {says}")
    assert sorted(p.name for p in out.iterdir()) == [".batch", warehouse.FILE] and path.read_bytes() == before


# --- interrupted, killed, started again -----------------------------------------------------------

@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "sigkill"])
def test_an_interrupted_batch_resumes_without_checking_anything_twice(tmp_path, how):
    """Ctrl-C (SIGINT to the batch's process group, as a terminal sends it) or SIGKILL of the
    whole group once two departments are finished: the next run skips them (their findings.json
    untouched), checks the rest, and nothing is lost; no process of the first run is left."""
    inputs = tmp_path / "in"
    slugs = reports(inputs, 4)
    out = tmp_path / "out"
    proc = batch_process(inputs, "--out", out, "--workers", 2)
    journal = out / state.STATE / state.JOURNAL
    stop = time.time() + DEADLINE
    while time.time() < stop and len(list(journal.glob("*.json"))) < 2:
        assert proc.poll() is None, "the batch ended before it journaled two departments"
        time.sleep(0.05)
    group = [proc.pid, *(c.pid for c in psutil.Process(proc.pid).children(recursive=True))]
    os.killpg(proc.pid, how)
    first = finish(proc)
    finished = {p.stem for p in journal.glob("*.json")} | {
        s for s, e in state.load_manifest(out, []).get("departments", {}).items() if e["status"] == "ok"}
    assert 2 <= len(finished) < len(slugs)
    if how == signal.SIGINT:
        assert first.returncode == 130
        assert lines(first.stderr) == [f"auditlib: batch: 已中断：已完成的 {len(finished)} 个部门已写入 {out}；"
                                       f"再次运行同一命令即从中断处继续"]
        kept(out, finished)
    else:
        assert first.returncode == -signal.SIGKILL
    assert all(gone(pid) for pid in group), "a process of the first run is still there"
    checked = {s: (out / s / "findings.json").stat().st_mtime_ns for s in finished}
    left = (out / state.STATE / state.LOCK).read_text()
    again = finish(batch_process(inputs, "--out", out, "--workers", 2))
    assert again.returncode == 0, again.stderr
    took_over = [l for l in lines(again.stderr) if "警告" in l]
    if how == signal.SIGKILL:
        holder = json.loads(left)
        assert holder["pid"] == proc.pid
        assert took_over == [f"auditlib batch: 警告：上次在此文件夹的批量审核（进程 {proc.pid}，主机 {holder['host']}，"
                             f"{holder['started']} 开始）未正常结束，已接管它留下的锁；它已完成的部门不会重新审核"]
    else:
        assert left == "" and took_over == []
    assert f"审核 {len(slugs) - len(finished)} 个部门，未变化跳过 {len(finished)} 个，失败 0 个" in again.stderr
    assert {s: t for s, t in kept(out, slugs).items() if s in finished} == checked


# --- corrupt state files --------------------------------------------------------------------------

def _corrupt_manifest(out: Path) -> str:
    path = out / state.MANIFEST
    path.write_bytes(path.read_bytes()[:40])
    return "auditlib batch: 警告：manifest.json 已损坏，已忽略（JSONDecodeError: "


def _corrupt_warehouse(out: Path) -> str:
    (out / warehouse.FILE).write_bytes(os.urandom(64 * 1024))
    return "auditlib batch: 警告：audit.duckdb 已损坏，已移到 audit.duckdb.corrupt-"


@pytest.mark.parametrize("corrupt", [_corrupt_manifest, _corrupt_warehouse], ids=["manifest", "warehouse"])
def test_a_corrupt_state_file_is_ignored_with_a_warning(tmp_path, corrupt):
    """A truncated manifest or a warehouse of random bytes: one warning, every department
    checked again (the file said nothing reliable about any), the same findings, the auditor's
    triage kept."""
    inputs = tmp_path / "in"
    slugs = reports(inputs, 2)
    out = tmp_path / "out"
    assert auditlib("batch", inputs, "--out", out, "--workers", 1, "--no-progress").returncode == 0
    findings = sql(out, "SELECT document, key, severity FROM findings ORDER BY ALL")
    key = findings[0][1]
    (out / "d0" / "triage.yaml").write_text(f"{key}:\n  status: confirmed\n  by: 审计员\n  review:\n    verdict: 同意\n"
                                            "    by: 复核员\n", encoding="utf-8")
    warning = corrupt(out)
    proc = auditlib("batch", inputs, "--out", out, "--workers", 1, "--no-progress")
    assert proc.returncode == 0
    assert [l for l in proc.stderr.splitlines() if "警告" in l][0].startswith(warning)
    assert "审核 2 个部门，未变化跳过 0 个" in proc.stderr
    kept(out, slugs)
    assert sql(out, "SELECT document, key, severity FROM findings ORDER BY ALL") == findings
    assert sql(out, "SELECT document, key, status, review_verdict, reviewer FROM triage") == [
        ("d0", key, "已确认", "同意", "复核员")]  # the reviewer's sign-off reaches the warehouse


def test_a_corrupt_journal_entry_is_ignored_and_its_department_checked_again(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    slugs = reports(inputs, 2)
    out = tmp_path / "out"

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(warehouse, "_insert", full)  # the first batch cannot write its warehouse
    assert auditlib("batch", inputs, "--out", out, "--workers", 1, "--no-progress").returncode == 2
    monkeypatch.undo()
    (out / state.STATE / state.JOURNAL / "d1.json").write_text('{"slug": "d1", "entry": {', encoding="utf-8")
    proc = auditlib("batch", inputs, "--out", out, "--workers", 1, "--no-progress")
    assert proc.returncode == 0
    assert [l for l in proc.stderr.splitlines() if "警告" in l] == [
        "auditlib batch: 警告：.batch/journal/d1.json 已损坏，已忽略（JSONDecodeError: Expecting property name "
        "enclosed in double quotes: line 1 column 26 (char 25)）；仓库中没有的部门 d1 将重新审核"]
    assert "审核 1 个部门，未变化跳过 1 个" in proc.stderr
    kept(out, slugs)

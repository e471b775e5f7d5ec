"""`auditlib ARGS` in the test's own process (a console-script start costs seconds on a busy
CI box): exit status, stdout and stderr as a CompletedProcess."""

from __future__ import annotations

import contextlib
import io
import subprocess


def auditlib(*args) -> subprocess.CompletedProcess:
    from auditlib.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in args])
    return subprocess.CompletedProcess(args, rc, out.getvalue(), err.getvalue())

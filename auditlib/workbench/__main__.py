"""`python -m auditlib.workbench refresh [NOTEBOOK]`: re-execute the audit notebook in place
(`make notebook-outputs`)."""

import sys
from pathlib import Path

from auditlib.workbench.notebook import NOTEBOOK, refresh_notebook

if len(sys.argv) >= 2 and sys.argv[1] == "refresh":
    refresh_notebook(Path(sys.argv[2]) if len(sys.argv) > 2 else NOTEBOOK)
else:
    sys.exit("usage: python -m auditlib.workbench refresh [NOTEBOOK]")

"""The findings as the contract's JSON (`auditlib check --format json`, docs/findings-contract.md)."""

from __future__ import annotations

import json

from auditlib.rules.findings import CheckResult


def render_json(result: CheckResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"

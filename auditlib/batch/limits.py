"""What a batch gives each department's tasks (its reading and check, its notebook): a time
limit, past which the worker is killed and the department fails."""

from __future__ import annotations

__all__ = ["DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 900.0  # s per task: a 100-page scan at 2-3 s a page, with two workers sharing two cores

"""The one exception the project raises for input it cannot read.

The CLI turns it into a single line on stderr and exit status 2; everything else
that goes wrong is a bug and should surface as such.
"""

from __future__ import annotations


class InputError(Exception):
    """An input document that cannot be read: names the file and what is wrong."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

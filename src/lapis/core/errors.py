"""The errors every app raises and catches: one refusal of a form or API write, one refused
import, one unreadable cell. Apps subclass them only to carry something more."""

from __future__ import annotations


class CellError(ValueError):
    """A cell value that cannot be read; the message is for the spreadsheet's owner."""


class Invalid(Exception):
    """The request cannot be done as asked; `errors` maps a field name to its message."""

    def __init__(self, errors: dict[str, str], message: str | None = None):
        self.errors = errors
        super().__init__("; ".join(errors.values()) if message is None else message)


class ImportFailed(Exception):
    """An import refused, nothing written; `problems` names every problem by file and cell."""

    def __init__(self, problems: list, message: str | None = None):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)" if message is None else message)

    def as_json(self) -> list[dict]:
        return [problem.as_json() for problem in self.problems]

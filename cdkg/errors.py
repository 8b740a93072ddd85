"""User-facing errors.

Every mistake a user can make (a missing file, an unknown format, unparseable input,
a bad option value) is raised as :class:`InputError`. The command line turns it into
one line per problem on stderr and exit code 2 (DESIGN Contract 4); library callers
get the structured fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what to do about it."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class InputError(Exception):
    """Bad input or usage: exit code 2, nothing written."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def single(
        cls,
        source: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> InputError:
        return cls([Problem(source, message, line, column, hint)])

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

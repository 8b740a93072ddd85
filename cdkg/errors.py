"""User-facing errors.

Every mistake a user can make (a missing file, an unknown format, unparseable input,
a bad option value) is raised as :class:`InputError`. The command line turns it into
one line per problem on stderr and exit code 2 (DESIGN Contract 4); library callers
get the structured fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_BAD_INPUT = 2

#: Longest quotation of someone's text in a message (characters, ellipsis included).
MAX_QUOTE = 200
#: Longest message or hint a :class:`Problem` prints (a safety net for messages that
#: quote text some library wrote, e.g. a parser's error message).
MAX_MESSAGE = 1000

#: Characters a terminal may act on: C0 controls (ESC, BEL, CR, backspace…), DEL, C1
#: controls (U+009B is CSI on some terminals), and lone surrogates (not characters;
#: writing them to a UTF-8 stream fails).
_CONTROL = "\x00-\x1f\x7f-\x9f\ud800-\udfff"
_UNSAFE_LINES = re.compile(f"(?![\n\t])[{_CONTROL}]")
_UNSAFE = re.compile(f"[{_CONTROL}]")


_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_lines: bool = True) -> str:
    """``text`` safe to write to a terminal: control characters become visible escapes
    (ESC as ``\\x1b``, a lone surrogate as ``\\ud800``). Line feeds and tabs stay unless
    ``keep_lines`` is false."""
    pattern = _UNSAFE_LINES if keep_lines else _UNSAFE
    return pattern.sub(_escaped, text)


def clip(text: str, limit: int = MAX_QUOTE) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def one_line(text: str, limit: int = MAX_QUOTE) -> str:
    """``text`` as one printable line of at most about ``limit`` characters."""
    return printable(clip(text, limit), keep_lines=False)


def quote(text: str, limit: int = MAX_QUOTE) -> str:
    """``text`` quoted for a message, like ``repr`` (control characters escaped) but cut
    to about ``limit`` characters: a 400 MB cell is quoted as its first 200."""
    return repr(clip(text, limit))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what to do about it."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        """One printable line: control characters escaped, message and hint cut to
        :data:`MAX_MESSAGE` characters."""
        where = one_line(self.source, MAX_MESSAGE)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {one_line(self.message, MAX_MESSAGE)}"
        if self.hint:
            text += f" ({one_line(self.hint, MAX_MESSAGE)})"
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

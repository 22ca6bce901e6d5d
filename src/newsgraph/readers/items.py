"""What a reader yields for each input item: an Article, a ReadError (the input and what is wrong
with it), or Skipped (a record that is not an article, counted, not an error)."""

from __future__ import annotations

from dataclasses import dataclass

from newsgraph.record import Article


@dataclass(frozen=True)
class ReadError:
    input: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{printable(self.input)}:{self.line}" if self.line else printable(self.input)
        return f"{where}: {printable(self.message)}"


def printable(text: str) -> str:
    """Control characters shown as escapes: a file name with a newline cannot forge an output line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


@dataclass(frozen=True)
class Skipped:
    """An input record that is not an article (a non-HTML WARC record, say); counted, not an error."""

    input: str
    reason: str


Item = Article | ReadError | Skipped

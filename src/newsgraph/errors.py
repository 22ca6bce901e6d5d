"""The exceptions newsgraph raises to its callers, in one hierarchy: ``except NewsgraphError`` catches
them all, and each message says what is wrong and, where it can, what to do.

    NewsgraphError
     +-- InputError        an input that cannot be read (readers); one article's, the batch goes on
     |    +-- FetchError   a URL that could not be fetched (refused address, HTTP error, too large)
     +-- StoreError        a store that is missing, not ours, or not migrated
     +-- StageOrderError   a pipeline order in which a stage needs what no earlier stage provides
     +-- ExtractionError   one article the pipeline could not process (Pipeline.process)

This module imports nothing of newsgraph's, so every layer may use it.
"""

from __future__ import annotations

from dataclasses import dataclass


class NewsgraphError(Exception):
    """Anything newsgraph raises on purpose."""


class InputError(NewsgraphError, ValueError):
    """An input that cannot be read; the message says what is wrong."""


class FetchError(InputError):
    """A URL that could not be fetched."""


class StoreError(NewsgraphError):
    """A store that cannot be used as asked (missing, not a newsgraph store, an older schema)."""


class StageOrderError(NewsgraphError, ValueError):
    """A run order in which a stage needs what no stage before it provides."""


class ExtractionError(NewsgraphError, RuntimeError):
    """An article the pipeline could not process; nothing of it is kept."""


@dataclass(frozen=True)
class ProcessError:
    """An article the pipeline could not process, as a result in a batch (not raised): nothing of it
    is kept. Here rather than in the pipeline so that front ends that only store need not load it."""

    article_id: str
    message: str

    def __str__(self) -> str:
        return f"article {self.article_id}: {self.message}"

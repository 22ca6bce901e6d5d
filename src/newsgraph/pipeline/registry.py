"""Stages registered by name, spaCy-style: ``@stage("quotes")`` on a function of a Context."""

from __future__ import annotations

from collections.abc import Callable

from newsgraph.pipeline.context import Context

StageFn = Callable[[Context], None]
STAGES: dict[str, StageFn] = {}


def stage(name: str) -> Callable[[StageFn], StageFn]:
    def register(fn: StageFn) -> StageFn:
        if name in STAGES and STAGES[name] is not fn:
            raise ValueError(f"a stage named {name!r} is already registered")
        STAGES[name] = fn
        return fn

    return register


def get_stage(name: str) -> StageFn:
    try:
        return STAGES[name]
    except KeyError:
        raise KeyError(f"no stage named {name!r}; known stages: {', '.join(STAGES)}") from None

"""Stages registered by name, spaCy-style, each declaring what it needs and what it adds.

    @stage("counts", requires=("entities", "dates"), assigns=("counts",))
    def counts(ctx: Context) -> None: ...

``requires`` and ``assigns`` name the record fields (and the Context indexes that come with
them) a stage reads and writes. :func:`check_order` refuses a run order in which a stage would
read a field no earlier stage fills, instead of letting it run silently on nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newsgraph.errors import StageOrderError
from newsgraph.pipeline.context import Context

StageFn = Callable[[Context], None]


@dataclass(frozen=True)
class Stage:
    name: str
    fn: StageFn
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __call__(self, ctx: Context) -> None:
        self.fn(ctx)


STAGES: dict[str, Stage] = {}


def stage(name: str, requires: Iterable[str] = (), assigns: Iterable[str] = ()) -> Callable[[StageFn], StageFn]:
    def register(fn: StageFn) -> StageFn:
        if name in STAGES and STAGES[name].fn is not fn:
            raise ValueError(f"a stage named {name!r} is already registered")
        STAGES[name] = Stage(name, fn, tuple(requires), tuple(assigns))
        return fn

    return register


def get_stage(name: str) -> Stage:
    try:
        return STAGES[name]
    except KeyError:
        raise KeyError(f"no stage named {name!r}; known stages: {', '.join(STAGES)}") from None


def check_order(names: Iterable[str]) -> list[Stage]:
    """The stages of a run order, or StageOrderError naming the first stage whose needs no earlier
    stage meets and the stages that would meet them."""
    stages = [get_stage(n) for n in names]
    available: set[str] = set()
    for s in stages:
        missing = [r for r in s.requires if r not in available]
        if missing:
            providers = sorted({p.name for p in STAGES.values() for r in missing if r in p.assigns})
            hint = f"; run {', '.join(repr(p) for p in providers)} before it" if providers else ""
            raise StageOrderError(f"stage {s.name!r} requires {', '.join(missing)}, which no stage before it "
                                  f"assigns{hint}")
        available.update(s.assigns)
    return stages

"""Quotes: the stage. Direct quotes (words inside quote marks), reported speech and stances, with speakers.

Each quoted stretch (quote_marks) gets its speaker, or its label kind, from one decision over the
candidates the text offers (speaker_choice). Reported speech (reported) follows, then stances
(stances): positions taken without words quoted."""

from __future__ import annotations

from newsgraph.pipeline.context import Context
from newsgraph.pipeline.quote_marks import find_quote_marks
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.reported import reported_speech
from newsgraph.pipeline.speaker_choice import decide
from newsgraph.pipeline.speakers import Attribution, Found, to_quote
from newsgraph.pipeline.stances import stances


@stage("quotes", requires=("entities",), assigns=("quotes",))
def quotes(ctx: Context) -> None:
    marks = find_quote_marks(ctx.article.text)
    attr = Attribution(ctx, marks)
    direct: list[Found] = []
    previous: Found | None = None
    for start, end in marks:
        found = Found(start, end)
        decide(ctx, attr, found, previous)
        if found.kind == "speech":
            previous = found
        direct.append(found)
        ctx.record.quotes.append(to_quote(ctx, found, direct=True))
    for q in reported_speech(ctx, attr, direct):
        ctx.record.quotes.append(q)
    taken = [(q.start, q.end) for q in ctx.record.quotes if q.kind == "speech"]
    ctx.record.quotes.extend(stances(ctx, attr, taken))
    ctx.record.quotes.sort(key=lambda q: (q.start, not q.direct))

"""The article text as HTML, with quotes, entities, counts and dates marked at their offsets.

Every piece of text is escaped; only our own tags are added. Quotes are the
outer marks; entity, count and date marks go inside a quote or outside all
quotes, never across a quote's edge, and never overlap one another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from newsgraph.record import Record


@dataclass
class Mark:
    start: int
    end: int
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    before: str = ""  # escaped HTML placed right before the opening tag (a speaker chip)

    def open(self) -> str:
        attrs = "".join(f' {k}="{escape(v, quote=True)}"' for k, v in self.attrs.items())
        return f"{self.before}<{self.tag}{attrs}>"

    def close(self) -> str:
        return f"</{self.tag}>"


def article_html(record: Record, entity_links: dict[str, int], target: tuple[int, int] | None = None) -> Markup:
    """``target``: a (start, end) span to mark with id "span", so a link from a story's claim lands on it."""
    text = record.article.text
    outer = _quote_marks(record, entity_links)
    if target is not None:
        outer = _with_target(outer, target, len(text))
    inner = _inner_marks(record, entity_links, outer)
    if target is not None and not any(m.attrs.get("id") == "span" for m in outer):
        inner = _with_target(inner, target, len(text), outer_ok=False)
    paragraphs = []
    pos = 0
    for block in text.split("\n\n"):
        start = text.index(block, pos)
        end = start + len(block)
        pos = end
        marks = [m for m in outer + inner if start <= m.start and m.end <= end]
        paragraphs.append(f'<p id="p{len(paragraphs)}">{_render(text, start, end, marks)}</p>')
    return Markup("\n".join(paragraphs))


def _quote_marks(record: Record, links: dict[str, int]) -> list[Mark]:
    marks = []
    for n, q in enumerate(record.quotes):
        if not q.direct:
            continue  # reported speech is listed in the side panel and linked, not boxed in the text
        if q.kind == "label":
            marks.append(Mark(q.start, q.end, "span", {"class": "label-term", "id": f"q{n}",
                                                       "title": "quoted term, not speech"}))
            continue
        chip = ""
        if q.speaker:
            href = f"/entities/{links[q.speaker_id]}" if q.speaker_id in links else None
            name = escape(q.speaker)
            chip = (f'<a class="chip" href="{href}">{name}</a>' if href else f'<span class="chip">{name}</span>')
        else:
            chip = '<span class="chip unknown">unattributed</span>'
        title = f"{q.speaker or 'unknown speaker'}" + (f" (via {q.via})" if q.via else "")
        marks.append(Mark(q.start, q.end, "q", {"class": "quote", "id": f"q{n}", "title": title}, before=chip))
    return _non_overlapping(marks)


def _with_target(marks: list[Mark], target: tuple[int, int], size: int, outer_ok: bool = True) -> list[Mark]:
    """The mark at exactly this span becomes the link target; failing that, a new mark is added
    where it crosses no other (a reported quote, a count inside a quote)."""
    start, end = target
    if not (0 <= start < end <= size):
        return marks
    for m in marks:
        if (m.start, m.end) == (start, end):
            m.attrs = {**m.attrs, "id": "span", "class": (m.attrs.get("class", "") + " target").strip()}
            return marks
    overlapping = [m for m in marks if m.start < end and start < m.end]
    if outer_ok and overlapping:
        return marks  # within or across a quote: the inner pass places it
    if any(not (start <= m.start and m.end <= end) for m in overlapping):
        return marks  # it would cross a mark's edge
    return _non_overlapping([*marks, Mark(start, end, "span", {"class": "target", "id": "span"})])


def _inner_marks(record: Record, links: dict[str, int], outer: list[Mark]) -> list[Mark]:
    marks: list[Mark] = []
    for e in record.entities:
        for m in e.mentions:
            cls = f"ent ent-{e.type.lower()}"
            if e.id in links:
                marks.append(Mark(m.start, m.end, "a", {"class": cls, "href": f"/entities/{links[e.id]}",
                                                        "title": f"{e.name} ({e.type})"}))
            else:
                marks.append(Mark(m.start, m.end, "span", {"class": cls, "title": e.name}))
    for n, c in enumerate(record.counts):
        label = " ".join(x for x in (c.qualifier, c.text, c.detail, c.object, c.action and f"· {c.action}") if x)
        marks.append(Mark(c.start, c.end, "mark", {"class": "count", "id": f"c{n}", "title": label}))
    for n, e in enumerate(record.events):
        label = f"{e.type}: {e.source_actor or '?'} → {e.target_actor or '?'}"
        marks.append(Mark(e.start, e.end, "span", {"class": f"event ev-{e.type.lower()}", "id": f"ev{n}",
                                                   "title": label}))
    for d in record.dates:
        value = d.value if isinstance(d.value, str) or d.value is None else f"{d.value.start}/{d.value.end}"
        marks.append(Mark(d.start, d.end, "time", {"class": "date", **({"datetime": value} if value else {})}))
    inside_ok = [m for m in marks if all(m.end <= o.start or m.start >= o.end or
                                         (o.start <= m.start and m.end <= o.end) for o in outer)]
    return _non_overlapping(inside_ok)


def _non_overlapping(marks: list[Mark]) -> list[Mark]:
    out: list[Mark] = []
    for m in sorted(marks, key=lambda m: (m.start, -(m.end - m.start))):
        if m.end > m.start and (not out or m.start >= out[-1].end):
            out.append(m)
    return out


def _render(text: str, start: int, end: int, marks: list[Mark]) -> str:
    """Nested rendering: outer marks (quotes) first in sort order, inner marks within them."""
    events: list[tuple[int, int, str]] = []
    for m in marks:
        classes = m.attrs.get("class", "")
        outer = m.tag in ("q",) or "label-term" in classes or classes == "target"
        # at one offset: closes before opens; an outer mark opens before and closes after inner ones
        events.append((m.start, 2 if outer else 3, m.open()))
        events.append((m.end, 1 if outer else 0, m.close()))
    events.sort(key=lambda e: (e[0], e[1]))
    parts, pos = [], start
    for offset, _, tag in events:
        parts.append(escape(text[pos:offset]))
        parts.append(tag)
        pos = offset
    parts.append(escape(text[pos:end]))
    return "".join(parts)


SNIPPET_MARKS = ("\ue000", "\ue001")  # private-use characters the index puts around matched words
_MARKED = re.compile("\ue000([^\ue000\ue001]*)\ue001")


def marked_snippet(snippet: str | None) -> Markup:
    """A search snippet as HTML: the text escaped, the matched words in <mark>. Only pairs become
    marks; a stray mark character (an article may hold one) is dropped, so tags always balance."""
    escaped = _MARKED.sub(r"<mark>\1</mark>", escape(snippet or "", quote=True))
    return Markup(escaped.replace(SNIPPET_MARKS[0], "").replace(SNIPPET_MARKS[1], ""))

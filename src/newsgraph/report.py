"""Readable summaries of records for the terminal (rich tables)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from newsgraph.record import Record

WHOLE = frozenset({"at", "direct", "mentions", "lat", "lon", "country"})


def _table(title: str, *columns: str) -> Table:
    """Cells wrap between words, never inside one; short fields ('at' offsets, numbers, dates) stay on
    one line, and a word too long for its column ends in an ellipsis rather than breaking."""
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for c in columns:
        table.add_column(c, overflow="ellipsis", no_wrap=c in WHOLE, min_width=len(c))
    return table


def _when(value: str | None) -> str:
    """A date or a range ('2025-09-04/2025-09-05') with room to wrap between its ends."""
    return (value or "").replace("/", " to ")


def _at(span) -> str:
    """Where a fact's words are in the article text: characters start-end (as in ?span=)."""
    return f"{span.start}-{span.end}"


def record_summary(record: Record) -> Group:
    a = record.article
    head = Text()
    head.append(f"{a.title or '(untitled)'}\n", style="bold")
    meta = " · ".join(x for x in (a.source, a.section, a.published, f"id {a.id}") if x)
    head.append(meta + "\n", style="dim")
    if a.subtitle:
        head.append(a.subtitle + "\n", style="italic")
    parts: list = [head]

    persons = _table("Persons", "name", "roles", "aliases", "mentions")
    for e in record.entities:
        if e.type == "PERSON":
            persons.add_row(e.name, "; ".join(e.roles), "; ".join(e.aliases), str(len(e.mentions)))
    parts.append(persons)

    quotes = _table("Quotes", "at", "speaker", "direct", "cue", "via", "text")
    for q in record.quotes:
        if q.kind == "speech":
            quotes.add_row(_at(q), q.speaker or "?", "yes" if q.direct else "no", q.cue or "", q.via or "",
                           _short(q.text, 110))
    parts.append(quotes)
    stances = [q for q in record.quotes if q.kind == "stance"]
    if stances:
        table = _table("Stances (positions taken, no words quoted)", "at", "source", "cue", "position")
        for q in stances:
            table.add_row(_at(q), q.speaker or "?", q.cue or "", _short(q.text, 110))
        parts.append(table)
    labels = [q.text for q in record.quotes if q.kind == "label"]
    if labels:
        parts.append(Text("Labels (quoted terms, not speech): " + "; ".join(labels) + "\n"))

    counts = _table("Counts", "at", "figure", "of", "action", "actor, place, date")
    for c in record.counts:
        number = c.text if c.number is None else f"{c.number:g}"
        counts.add_row(_at(c), " ".join(x for x in (c.qualifier, number) if x),
                       " ".join(x for x in (c.detail, c.object) if x), c.action or "",
                       "; ".join(x for x in (c.actor, c.place, _when(c.date)) if x))
    parts.append(counts)

    if record.events:
        events = _table("Events", "at", "type", "who → whom", "place, date", "trigger")
        for e in record.events:
            kind = f"{e.type} ({e.mode})" if e.mode else e.type
            source = _with_country(e.source_actor, e.source_country)
            target = _with_country(e.target_actor, e.target_country)
            who = f"{source or '?'} → {target}" if target else source
            events.add_row(_at(e), kind, who, "; ".join(x for x in (e.place, _when(e.date)) if x), e.trigger)
        parts.append(events)
    if record.places:
        table = _table("Places", "name", "country", "kind", "lat", "lon")
        for p in record.places:
            table.add_row(p.name, p.country or "", p.kind or "",
                          "" if p.lat is None else f"{p.lat:.2f}", "" if p.lon is None else f"{p.lon:.2f}")
        parts.append(table)
    for note in record.notes:
        parts.append(Text(f"note: {note}", style="yellow"))
    return Group(*parts)


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def print_record(record: Record, console: Console | None = None) -> None:
    (console or Console()).print(record_summary(record))


def print_entity(data: dict, console: Console | None = None) -> None:
    """An entity across articles: roles, aliases, mentions per article, quotes by date."""
    console = console or Console()
    head = Text()
    head.append(f"{data['name']} ({data['type']})\n", style="bold")
    if data.get("roles"):
        head.append("roles: " + "; ".join(data["roles"]) + "\n")
    if data.get("aliases"):
        head.append("aliases: " + "; ".join(data["aliases"]) + "\n")
    head.append(f"{len(data['mentions'])} mentions in {data['articles']} articles\n", style="dim")
    per_article: dict[str, list] = {}
    for m in data["mentions"]:
        per_article.setdefault(m["article_id"], []).append(m)
    mentions = _table("Mentions", "article", "published", "as written")
    for aid, ms in per_article.items():
        mentions.add_row(aid, (ms[0]["published"] or "")[:10], "; ".join(sorted({m["text"] for m in ms})))
    quotes = _table("Quotes", "published", "direct", "via", "text", "article")
    for q in data["quotes"]:
        quotes.add_row((q["published"] or "")[:10], "yes" if q["direct"] else "no", q["via"] or "",
                       _short(q["text"], 100), q["article_id"])
    console.print(Group(head, mentions, quotes))


def _with_country(actor: str | None, country: str | None) -> str:
    """'Vladimir Putin (Russia)'; a country acting for itself is named once."""
    if not actor:
        return f"({country})" if country else ""
    return actor if not country or country == actor else f"{actor} ({country})"


STATUS_STYLE = {"conflict": "bold red", "speaker_conflict": "bold red", "update": "yellow", "agree": "green", "repeated": "cyan"}


def print_stories(page: dict, console: Console) -> None:
    table = _table(f"Stories ({page['total']})", "id", "last seen", "articles", "outlets", "title", "claims")
    for s in page["items"]:
        tally = ", ".join(f"{n} {status}" for status, n in sorted(s.get("claims", {}).items()))
        table.add_row(str(s["id"]), s["last_seen"] or "", str(len(s["articles"])), ", ".join(s["outlets"]),
                      _short(s["title"] or "(untitled)", 70), tally)
    console.print(table)
    if page.get("next"):
        console.print(f"more: --cursor {page['next']}", style="dim")


def _provenance(claim: dict) -> str:
    parts = []
    if claim.get("first_publisher"):
        day_only = " (date only)" if claim.get("first_precision") == "day" else ""
        parts.append(f"first: {claim['first_publisher']}, {claim['first_published']}{day_only}")
    if claim["status"] == "repeated":
        parts.append(f"one source repeated: every outlet credits {claim['one_source']} (not independent confirmation)")
    return "; ".join(parts)


def print_story(story: dict, console: Console) -> None:
    head = Text()
    head.append(f"Story {story['id']}: {story['title'] or '(untitled)'}\n", style="bold")
    head.append(f"{story['size']} articles from {len(story['outlets'])} outlets · "
                f"{story['first_seen'] or '?'} to {story['last_seen'] or '?'}\n", style="dim")
    console.print(head)
    members = _table("Articles", "published", "outlet", "title", "id", "duplicate of")
    for m in story["members"]:
        dup = f"{m['duplicate_of']} ({m['duplicate_similarity']:.2f})" if m["duplicate_of"] else ""
        members.add_row(m["published"] or "", m["source"] or "?", _short(m["title"] or "", 60), m["id"], dup)
    console.print(members)
    for claim in story["claims"]:
        if claim["kind"] == "count":
            table = _table(f"Count: {claim['label']}  [{claim['status'].upper()}]", "outlet", "published", "figure",
                           "qualifier", "date", "article span")
            for c in claim["cells"]:
                table.add_row(c["source"] or "?", c["published"] or "", c["text"] or f"{c['number']:g}",
                              c["qualifier"] or "", c["date"] or "", f"{c['article_id']}:{c['start']}-{c['end']}")
        else:
            table = _table(f"Quote: \u201c{_short(claim['label'], 90)}\u201d  [{claim['status'].upper()}]",
                           "outlet", "published", "speaker", "via", "wording vs first", "article span")
            for c in claim["cells"]:
                table.add_row(c["source"] or "?", c["published"] or "", c["speaker"] or "?", c["via"] or "",
                              _diff_text(c.get("diff", [])), f"{c['article_id']}:{c['start']}-{c['end']}")
        table.title_style = STATUS_STYLE.get(claim["status"], "")
        table.caption = _provenance(claim)
        console.print(table)
    coverage = story["coverage"]
    if coverage["outlets"] and coverage["actors"]:
        table = _table("Coverage: who names whom", "actor", *coverage["outlets"])
        for row in coverage["actors"][:15]:
            table.add_row(row["name"], *[str(row["outlets"][o] or "-") for o in coverage["outlets"]])
        console.print(table)
    if coverage["event_types"]:
        table = _table("Coverage: event types", "type", *coverage["outlets"])
        for row in coverage["event_types"]:
            table.add_row(row["name"], *[str(row["outlets"][o] or "-") for o in coverage["outlets"]])
        console.print(table)
    for change in story["changes"]:
        console.print(f"{change['at']}  {change['kind']}: story {change['other_story_id'] or ''} -> "
                      f"{change['story_id'] or ''} {change['detail'] or ''}", style="dim", highlight=False)


def _diff_text(diff: list) -> Text:
    out = Text()
    for op, words in diff:
        style = {"-": "red strike", "+": "green"}.get(op, "")
        out.append(("" if not out.plain else " ") + words, style=style)
    return out


def print_wordings(page: dict, console: Console) -> None:
    """Each wording, then one line per outlet that carried it, oldest first. Lines are not wrapped
    (an article id and its span stay whole and can be copied)."""
    if not page["items"]:
        console.print("no quotes match")
    for w in page["items"]:
        who = " / ".join(w["speakers"]) or "unattributed"
        outlets = f"{w['outlets']} outlet{'' if w['outlets'] == 1 else 's'}"
        first = ""
        if len(w["carriers"]) > 1:
            first = f" · first: {w['first_publisher']}" if w["first_publisher"] else " · no certain first publisher"
        console.print(Text(f"“{w['text']}”", style="bold"), Text(f" {who} · {outlets}{first}"), soft_wrap=True)
        for c in w["carriers"]:
            vague = f" ({c['precision']} only)" if c["precision"] in ("day", "month", "year") else ""
            via = f"  citing {c['via']}" if c["via"] else ""
            mark = "  [first]" if c["first"] else ""
            console.print(f"    {(c['published'] or 'undated')[:16].replace('T', ' ')}{vague}  "
                          f"{c['source'] or 'unknown outlet'}{mark}{via}  {c['article_id']}?span={c['start']}-{c['end']}",
                          highlight=False, markup=False, soft_wrap=True)
    if page["truncated"]:
        console.print(f"(only the newest {page['quotes']} quotes were read: narrow the search)")

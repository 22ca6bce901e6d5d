"""Records of a public set's texts, for the scorers that run the pipeline themselves."""

from __future__ import annotations

from newsgraph.record import Article, Record


def extract_all(articles: list[Article], what: str = "articles") -> tuple[list[Record], str | None]:
    """Records of a public set's texts with the default pipeline, or why the set is skipped: a set
    scored with holes where articles failed would mislead."""
    from newsgraph.pipeline import Pipeline

    records = list(Pipeline().process_many(articles))
    failed = [r for r in records if not isinstance(r, Record)]
    return records, (f"{len(failed)} {what} failed: {failed[0]}" if failed else None)

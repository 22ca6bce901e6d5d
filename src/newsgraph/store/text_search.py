"""What a user's search words mean to the full-text index, the same on SQLite and PostgreSQL.

Every word must occur; a word that is a spelling of a known name also matches the store's other
spellings of it ("Zelensky" finds "Zelenskyy"). English word forms are the index's job: FTS5's
Porter tokenizer (migration 0012) and PostgreSQL's 'english' configuration both stem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause, text

WORD = re.compile(r"\w+", flags=re.UNICODE)


def query_words(query: str) -> list[str]:
    return WORD.findall(query)


@dataclass(frozen=True)
class TextQuery:
    """All groups must match; any word of a group will do."""

    groups: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, query: str, variants: dict[str, list[str]] | None = None) -> TextQuery:
        variants = variants or {}
        groups = []
        for word in query_words(query):
            spellings = [word, *(v for v in variants.get(word, []) if v.lower() != word.lower())]
            groups.append(tuple(dict.fromkeys(spellings)))
        return cls(tuple(groups))

    def fts5(self) -> str:
        """FTS5 MATCH syntax: words as quoted phrases, so punctuation is never syntax."""
        def phrase(word: str) -> str:
            return '"' + word.replace('"', "") + '"'
        parts = [phrase(g[0]) if len(g) == 1 else "(" + " OR ".join(phrase(w) for w in g) + ")"
                 for g in self.groups]
        return " AND ".join(parts) or '""'

    def tsquery(self) -> tuple[str, dict[str, Any]]:
        """A PostgreSQL tsquery expression with its bound words."""
        params: dict[str, Any] = {}
        ands = []
        for i, group in enumerate(self.groups):
            ors = []
            for j, word in enumerate(group):
                params[f"fts_{i}_{j}"] = word
                ors.append(f"plainto_tsquery('english', :fts_{i}_{j})")
            ands.append("(" + " || ".join(ors) + ")")
        return (" && ".join(ands) or "plainto_tsquery('english', '')"), params

    def where(self, dialect: str) -> TextClause:
        """A WHERE clause on articles: the full-text index matches."""
        if dialect == "postgresql":
            expression, params = self.tsquery()
            return text(f"articles.search @@ ({expression})").bindparams(**params)
        return text("articles.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts_q)"
                    ).bindparams(fts_q=self.fts5())

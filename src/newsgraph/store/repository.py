"""Ingest records and query them. Each article is one transaction: all of its facts or none.

Ingesting the same article twice changes nothing; a changed text or pipeline
version replaces the article's facts. A crash mid-batch loses nothing that
was already committed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from newsgraph.errors import StoreError
from newsgraph.names import name_key, same_person
from newsgraph.record import Record, text_hash
from newsgraph.store import schema as t
from newsgraph.store import stories
from newsgraph.store.dialect import dialect_insert
from newsgraph.stories.placer import Placement

Outcome = Literal["new", "updated", "unchanged"]


@dataclass(frozen=True)
class Ingested:
    """What storing one record did: ``outcome``, and where the article went among the stories
    (``placement``; None when it was stored unchanged)."""

    outcome: Outcome
    placement: Placement | None = None
DEFAULT_DB = "sqlite:///newsgraph.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def default_url(url: str | None = None) -> str:
    """--db, else $NEWSGRAPH_DB, else ./newsgraph.db. A bare path means a SQLite file."""
    url = url or os.environ.get("NEWSGRAPH_DB") or DEFAULT_DB
    return url if "://" in url else f"sqlite:///{url}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    # SQLite connections are shared across the web server's worker threads; SQLAlchemy's pool
    # hands each to one thread at a time.
    args = {"check_same_thread": False} if url.startswith("sqlite") else {}
    # as many connections as the server has readers at once (20 under load; the default 5 + 10 kept
    # the rest waiting for one), few enough for a PostgreSQL server's usual 100
    in_memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url  # one connection per thread
    pool = {} if in_memory else {"pool_size": 20, "max_overflow": 20}
    engine = create_engine(url, future=True, connect_args=args, **pool)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


HEAD_REVISION = "0014"  # the newest file in migrations/versions (a test keeps the two in step)


def at_head(engine: Engine) -> bool:
    """Whether the database is at the newest schema already: then Alembic, half a second of imports
    for every command, is not loaded at all."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
    except Exception:  # no version table yet (a new database), or one we cannot read: migrate
        return False


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic, from day one)."""
    if at_head(engine):
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # several processes opening a fresh database at once: one creates the tables, the others
            # wait and then find them (each had raced to CREATE TABLE and failed on a UniqueViolation)
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def check_sqlite_file(url: str, create: bool) -> None:
    """Refuse what would otherwise go wrong silently: a mistyped path becoming a new empty store
    (unless ``create``), and another application's SQLite file gaining our tables and WAL mode."""
    import sqlite3

    from sqlalchemy.engine import make_url

    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    if not Path(path).exists():
        if create:
            return
        raise StoreError(f"no newsgraph database at {path}: check --db, or store articles there first with "
                         "`newsgraph ingest`")
    try:
        with sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not an SQLite database ({exc})") from None
    if tables and "alembic_version" not in tables:
        raise StoreError(f"{path} is not a newsgraph database (it holds other tables: "
                         f"{', '.join(sorted(tables)[:5])}); refusing to change it")


class Store:
    def __init__(self, url: str | None = None, create: bool = True) -> None:
        """``create=False`` (read-only commands): the database must already exist."""
        self.url = default_url(url)
        try:
            if self.url.startswith("sqlite"):
                check_sqlite_file(self.url, create)
            self.engine = make_engine(self.url)
            migrate(self.engine)
        except StoreError:
            raise
        except Exception as exc:  # a bad URL, a missing driver, a server that does not answer
            raise StoreError(f"cannot open the database {_safe_url(self.url)}: {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
        self.is_sqlite = self.engine.dialect.name == "sqlite"

    # --- writing --------------------------------------------------------------------

    def ingest(self, record: Record) -> Ingested:
        """Store a record (one transaction): its outcome and story placement. Another writer storing the same article at the same
        moment is not an error: the write is tried again and finds it stored ('unchanged')."""
        for attempt in range(3):
            try:
                return self._ingest_once(record)
            except (IntegrityError, OperationalError) as exc:
                if attempt == 2 or not _lost_race(exc):
                    raise
        raise AssertionError("unreachable")

    def _ingest_once(self, record: Record) -> Ingested:
        article = record.article
        digest = text_hash(article.text)
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                # One writer at a time places articles in stories and upserts entities: a second
                # process sees the first one's stories and people once it commits (SQLite's single
                # writer gives the same order by itself).
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
            row = conn.execute(
                select(t.articles.c.text_hash, t.articles.c.pipeline_version)
                .where(t.articles.c.id == article.id)
            ).first()
            if row is not None and row.text_hash == digest and row.pipeline_version == record.pipeline_version:
                return Ingested("unchanged")
            story_id = None
            if row is not None:
                story_id = stories.remove_article(conn, article.id)
                self._delete(conn, article.id)
            self._insert(conn, record, digest)
            placement = stories.place(conn, record, keep_story=story_id)
        return Ingested("new" if row is None else "updated", placement)

    def refresh_claims(self) -> int:
        """Line up the claims of the stories changed since they were last lined up (one transaction);
        how many stories. Batch front ends call it after each batch."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
            return stories.refresh_claims(conn)

    def rebuild_stories(self) -> dict[str, Any]:
        """Re-cluster every stored article in one batch (see stories.rebuild); one transaction."""
        with self.engine.begin() as conn:
            return stories.rebuild(conn)

    def is_current(self, article_id: str, text: str, pipeline_version: str) -> bool:
        """True when this article is stored with the same text and pipeline (no need to process)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.articles.c.text_hash, t.articles.c.pipeline_version).where(t.articles.c.id == article_id)
            ).first()
        return row is not None and row.text_hash == text_hash(text) and row.pipeline_version == pipeline_version

    def _delete(self, conn: Connection, article_id: str) -> None:
        for table in t.FACT_TABLES:
            conn.execute(delete(table).where(table.c.article_id == article_id))
        if self.is_sqlite:  # an external-content index is told what it indexed before the row goes
            conn.execute(text(
                "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                "SELECT 'delete', rowid, coalesce(title, ''), text FROM articles WHERE id = :id"), {"id": article_id})
        conn.execute(delete(t.articles).where(t.articles.c.id == article_id))

    def _insert(self, conn: Connection, record: Record, digest: str) -> None:
        a = record.article
        conn.execute(t.articles.insert().values(
            id=a.id, url=a.url, source=a.source, title=a.title, subtitle=a.subtitle, section=a.section,
            authors=a.authors, published=a.published, retrieved=a.retrieved, language=a.language,
            text=a.text, text_hash=digest, pipeline_version=record.pipeline_version,
            schema_version=record.schema_version, record=record.to_json(),
            ingested_at=_now("microseconds"),  # the page cache's version: two ingests in a second differ
        ))
        if self.is_sqlite:
            conn.execute(text("INSERT INTO articles_fts(rowid, title, text) "
                              "SELECT rowid, coalesce(title, ''), text FROM articles WHERE id = :id"), {"id": a.id})
        known = self._entity_rows(conn, record)
        global_ids = {e.id: self._entity_row(conn, e.name, e.type, e.aliases, e.roles, known)
                      for e in record.entities}
        rows = [dict(article_id=a.id, local_id=e.id, entity_id=global_ids[e.id], name=e.name, type=e.type,
                     roles=e.roles, aliases=e.aliases) for e in record.entities]
        _insert_many(conn, t.article_entities, rows)
        _insert_many(conn, t.mentions, [
            dict(article_id=a.id, entity_id=global_ids[e.id], local_id=e.id, start=m.start, end=m.end, text=m.text)
            for e in record.entities for m in e.mentions])
        _insert_many(conn, t.quotes, [
            dict(article_id=a.id, entity_id=global_ids.get(q.speaker_id or ""), **q.model_dump())
            for q in record.quotes])
        _insert_many(conn, t.counts, [dict(article_id=a.id, **c.model_dump()) for c in record.counts])
        _insert_many(conn, t.events, [dict(article_id=a.id, **e.model_dump()) for e in record.events])
        _insert_many(conn, t.places, [dict(article_id=a.id, **p.model_dump()) for p in record.places])
        _insert_many(conn, t.dates, [
            dict(article_id=a.id, text=d.text, start=d.start, end=d.end, value=_date_value(d.value))
            for d in record.dates])

    def _entity_rows(self, conn: Connection, record: Record) -> dict[tuple[str, str], Any]:
        """The stored rows of a record's entities, by (type, key), in one query rather than one each."""
        e = t.entities
        keys = sorted({entity_key(x.name) for x in record.entities})
        if not keys:
            return {}
        rows = conn.execute(select(e.c.id, e.c.name, e.c.aliases, e.c.roles, e.c.type, e.c.name_key)
                            .where(e.c.name_key.in_(keys))).all()
        return {(r.type, r.name_key): r for r in rows}

    def _entity_row(self, conn: Connection, name: str, type_: str, aliases: list[str], roles: list[str],
                    known: dict[tuple[str, str], Any]) -> int:
        """The one row for a canonical name (and type), created or enriched with new aliases and roles.

        A person spelled another way in another article ('Zelensky' / 'Zelenskyy') joins the
        existing row, the new spelling kept as an alias. ``known``: rows read before (_entity_rows)."""
        e, key = t.entities, entity_key(name)
        found = select(e.c.id, e.c.name, e.c.aliases, e.c.roles).where(e.c.type == type_)
        by_key = found.where(e.c.name_key == key)
        row = known.get((type_, key))
        if row is None and type_ == "PERSON":
            row = self._person_variant(conn, name)
        if row is None:  # upsert on the name key: a writer that got there first keeps its row
            insert = dialect_insert(conn)(e).values(name=name, type=type_, aliases=aliases, roles=roles,
                                                     name_key=key, surname_key=surname_key(name, type_))
            inserted = conn.execute(insert.on_conflict_do_nothing().returning(e.c.id)).scalar()
            if inserted is not None:
                known[(type_, key)] = SimpleNamespace(id=inserted, name=name, aliases=aliases, roles=roles)
                return inserted
            # another writer's row; or one keyed before the key rules changed, found by its name
            row = conn.execute(by_key).first() or conn.execute(found.where(e.c.name == name)).first()
        if row.name != name:
            aliases = [name, *aliases]
        merged_aliases = _merge(row.aliases, aliases)
        merged_roles = _merge(row.roles, roles)
        if merged_aliases != (row.aliases or []) or merged_roles != (row.roles or []):
            conn.execute(t.entities.update().where(t.entities.c.id == row.id)
                         .values(aliases=merged_aliases, roles=merged_roles))
            if (type_, key) in known:  # a second entity of this record with the key sees this update
                known[(type_, key)] = SimpleNamespace(id=row.id, name=row.name, aliases=merged_aliases,
                                                      roles=merged_roles)
        return row.id

    # --- feeds ----------------------------------------------------------------------

    def feed_state(self, url: str) -> tuple[str | None, str | None]:
        """(etag, last_modified) saved from the feed's last response."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.feeds.c.etag, t.feeds.c.last_modified).where(t.feeds.c.url == url)).first()
        return (row.etag, row.last_modified) if row else (None, None)

    def save_feed_state(self, url: str, etag: str | None, last_modified: str | None) -> None:
        now = _now()
        with self.engine.begin() as conn:
            if conn.execute(select(t.feeds.c.url).where(t.feeds.c.url == url)).first():
                conn.execute(t.feeds.update().where(t.feeds.c.url == url)
                             .values(etag=etag, last_modified=last_modified, checked_at=now))
            else:
                conn.execute(t.feeds.insert().values(url=url, etag=etag, last_modified=last_modified,
                                                     checked_at=now))

    def seen_links(self, feed_url: str) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(t.feed_items.c.link).where(t.feed_items.c.feed_url == feed_url)
                                    ).scalars())

    def mark_seen(self, feed_url: str, link: str, article_id: str | None) -> None:
        with self.engine.begin() as conn:
            if not conn.execute(select(t.feed_items.c.link).where(
                    t.feed_items.c.feed_url == feed_url, t.feed_items.c.link == link)).first():
                conn.execute(t.feed_items.insert().values(feed_url=feed_url, link=link, article_id=article_id,
                                                          seen_at=_now()))

    def _person_variant(self, conn: Connection, name: str):
        """An existing person whose name is a spelling variant of this one (same surname key)."""
        surname = surname_key(name, "PERSON")
        if surname is None:
            return None
        rows = conn.execute(
            select(t.entities.c.id, t.entities.c.name, t.entities.c.aliases, t.entities.c.roles)
            .where(t.entities.c.type == "PERSON", t.entities.c.surname_key == surname)
        ).all()
        matches = [r for r in rows if same_person(r.name, name)]
        return matches[0] if len(matches) == 1 else None

    # --- reading --------------------------------------------------------------------

    def get(self, article_id: str) -> Record | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles.c.record).where(t.articles.c.id == article_id)).first()
            if row is None:  # allow a unique id prefix, as git does
                rows = conn.execute(select(t.articles.c.record)
                                    .where(t.articles.c.id.like(f"{escape_like(article_id)}%", escape="\\"))
                                    .limit(2)).all()
                row = rows[0] if len(rows) == 1 else None
        return Record.from_json(row.record) if row else None

    def stats(self) -> dict[str, int]:
        tables = {"articles": t.articles, "entities": t.entities, "mentions": t.mentions, "quotes": t.quotes,
                  "counts": t.counts, "events": t.events, "places": t.places, "dates": t.dates}
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in tables.items()}


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def _lost_race(exc: Exception) -> bool:
    """A unique key another writer took first, or SQLite's snapshot moved on under this transaction."""
    text_ = str(getattr(exc, "orig", exc)).lower()
    return isinstance(exc, IntegrityError) or "database is locked" in text_ or "busy" in text_


def _now(timespec: str = "seconds") -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec=timespec)


def _insert_many(conn: Connection, table, rows: list[dict]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


def _merge(old: list[str] | None, new: list[str]) -> list[str]:
    out = list(old or [])
    out += [x for x in new if x not in out]
    return out


def _date_value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return f"{value.start}/{value.end}"


WRITE_LOCK = 0x6E657773  # PostgreSQL advisory lock key of the store's writers ("news")
MIGRATION_LOCK = 0x6E657774  # and of schema migrations


def entity_key(name: str) -> str:
    """The key one entity row per (type, key) is kept by: the name's spelling-variant key, or the
    name itself when it has no Latin letters to key on."""
    return name_key(name) or "=" + name


def surname_key(name: str, type_: str) -> str | None:
    """A person's last name-key word: spelling variants of one person share it (names.same_person)."""
    words = name_key(name).split()
    return words[-1] if type_ == "PERSON" and words else None


def escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)

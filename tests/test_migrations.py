"""Alembic migrations build exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from newsgraph.store import Store
from newsgraph.store.schema import metadata


def test_migrated_database_matches_the_models(tmp_path):
    store = Store(str(tmp_path / "m.db"))
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # the full-text index is a virtual table the models do not describe
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("articles_fts"))]
    assert diff == []


def _old_store(url: str, revision: str, fill) -> None:
    """A SQLite store migrated only up to ``revision``, with the rows ``fill(conn)`` writes."""
    from alembic import command
    from alembic.config import Config

    from newsgraph.store.repository import MIGRATIONS, make_engine

    engine = make_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        fill(conn)
    engine.dispose()


def test_migrations_upgrade_an_old_store_in_place(tmp_path):
    def fill(conn) -> None:
        conn.exec_driver_sql("INSERT INTO entities (name, type, aliases, roles) VALUES ('Anna Berg', 'PERSON', '[]', '[]')")
        conn.exec_driver_sql("INSERT INTO articles (id, text, text_hash, record) VALUES ('a1', 'Text.', 'h', '{}')")
        conn.exec_driver_sql("INSERT INTO articles_fts (article_id, title, text) VALUES ('a1', '', 'Text.')")

    url = f"sqlite:///{tmp_path / 'old.db'}"
    _old_store(url, "0001", fill)
    store = Store(url)  # upgrades 0001 -> head
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name_key, surname_key FROM entities").one() == ("ana berg", "berg")
        assert conn.exec_driver_sql("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'text'").scalar() == 1


def test_the_head_revision_the_store_checks_is_the_newest_migration(tmp_path):
    """Store() skips Alembic when the database is at HEAD_REVISION: it must be the scripts' head."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from newsgraph.store import repository

    cfg = Config()
    cfg.set_main_option("script_location", str(repository.MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == repository.HEAD_REVISION
    store = Store(str(tmp_path / "new.db"))
    assert repository.at_head(store.engine)


def test_story_outlet_counts_are_filled_in_by_the_migration_and_kept_by_placement(tmp_path):
    """Migration 0014 counts each story's outlets (an article without one is its own); from then on
    every placement keeps the count, so the outlets order reads a column."""
    from sqlalchemy import text

    from newsgraph.record import Article, Record

    def fill(conn) -> None:
        conn.exec_driver_sql("INSERT INTO stories (id, size, claims_stale) VALUES (1, 4, 0), (2, 0, 0)")
        for n, source in enumerate(["Ledger", "Ledger", "Harbor", None]):
            conn.exec_driver_sql("INSERT INTO articles (id, source, text, text_hash, record) VALUES (?, ?, 'T.', 'h', '{}')",
                                 (f"a{n}", source))
            conn.exec_driver_sql("INSERT INTO story_articles (article_id, story_id) VALUES (?, 1)", (f"a{n}",))

    url = f"sqlite:///{tmp_path / 'old.db'}"
    _old_store(url, "0013", fill)
    store = Store(url)
    with store.engine.connect() as conn:
        assert dict(conn.execute(text("SELECT id, outlet_count FROM stories")).all()) == {1: 3, 2: 0}

    fresh = Store(str(tmp_path / "new.db"))
    report = "Floods closed the Tartu bridge on Monday, Mayor Anna Berg said; 40 homes were flooded."
    for n, source in enumerate(["Ledger", "Harbor", "Ledger", None]):
        fresh.ingest(Record(article=Article(id=f"f{n}", source=source, text=report, published="2025-06-30")))
    with fresh.engine.connect() as conn:
        counted = conn.execute(text(
            "SELECT s.outlet_count, (SELECT count(DISTINCT coalesce(a.source, a.id)) FROM story_articles sa "
            "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = s.id) FROM stories s "
            "WHERE s.merged_into IS NULL AND s.size > 0")).all()
    assert counted and all(kept == actual for kept, actual in counted)
    assert max(kept for kept, _ in counted) >= 2  # the same report from several outlets is one story

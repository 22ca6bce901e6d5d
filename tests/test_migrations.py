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


def test_migrations_upgrade_an_old_store_in_place(tmp_path):
    from alembic import command
    from alembic.config import Config

    from newsgraph.store.repository import MIGRATIONS, make_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql("INSERT INTO entities (name, type, aliases, roles) VALUES ('Anna Berg', 'PERSON', '[]', '[]')")
        conn.exec_driver_sql("INSERT INTO articles (id, text, text_hash, record) VALUES ('a1', 'Text.', 'h', '{}')")
        conn.exec_driver_sql("INSERT INTO articles_fts (article_id, title, text) VALUES ('a1', '', 'Text.')")
    engine.dispose()
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

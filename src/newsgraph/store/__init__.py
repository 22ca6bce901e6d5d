"""The store knows tables, nothing about NLP. SQLite by default, any SQLAlchemy URL otherwise."""

from newsgraph.store.repository import Store, StoreError, default_url

__all__ = ["Store", "StoreError", "default_url"]

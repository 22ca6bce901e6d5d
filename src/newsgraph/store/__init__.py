"""The store knows tables, nothing about NLP. SQLite by default, any SQLAlchemy URL otherwise."""

from newsgraph.store.repository import Ingested, Store, StoreError, default_url

__all__ = ["Ingested", "Store", "StoreError", "default_url"]

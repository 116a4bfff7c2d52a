"""Living data: the store of records officers change with their sources (store.py), the
change they ask for (change.py), the source library's documents (documents.py)."""

from presence.store.change import ChangeRequest, parse_change
from presence.store.store import STORE_FILE, Change, Store, has_store

__all__ = ["STORE_FILE", "Change", "ChangeRequest", "Store", "has_store", "parse_change"]

"""The local SQLite store (sqlite-utils). No Qt."""

"""The local SQLite store. No Qt.

Start-up imports only the standard library's ``sqlite3`` here; sqlite-utils (which declares the
schema) is imported by ``migrations.py`` only when a migration has to be applied."""

"""Crash and I/O-failure harnesses (see docs/DATA-SAFETY.md)."""

"""The Sở's side (no Qt): read received packages safely, check them against the catalogue,
keep the register of received revisions, report who has reported, and consolidate the province.

``safe_zip`` and ``importer`` are stdlib only; ``consolidate`` and ``charts`` import openpyxl and
reportlab when called, never at start-up.
"""

"""The Sở's side (no Qt): check received packages against the catalogue (``importer``), keep the
register of received revisions (``ledger``), report who has reported (``status``), check a paper
copy (``paper``) and issue the province's consolidated report (``consolidate``,
``consolidated_tables`` (the rows both renderers print), ``consolidated_pdf``, ``consolidated_xlsx``,
``charts``, ``consolidated_report``).

``consolidate``'s renderers import openpyxl and reportlab when called, never at start-up.
"""

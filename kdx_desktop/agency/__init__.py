"""What an agency sends besides the package (no Qt): the printed report (``report_pdf``), the
workbook (``report_xlsx``) and the e-mail that carries them (``eml``).

reportlab and openpyxl are imported when a document is built, never at start-up.
"""

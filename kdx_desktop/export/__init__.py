"""What leaves an agency: the submission package, the printed report and the workbook (no Qt).

``package`` is stdlib only; ``pdf_report`` (reportlab) and ``workbook`` (openpyxl) import their
libraries when called, never at start-up.
"""

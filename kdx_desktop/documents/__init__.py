"""What both printed reports are made with (no Qt): the embedded fonts (``fonts``) and the
Decree 30 page furniture (``pdf_layout``), and the workbook furniture (``xlsx_layout``). reportlab is imported only when a document is built.
"""

"""``kdx-cli selftest``: prove an installation works in a temporary folder (``runner``), with the
output checks it reads PDFs, workbooks and screenshots with (``checks``). No Qt at import.
"""

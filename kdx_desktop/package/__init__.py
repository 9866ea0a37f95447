"""The submission package format, one home for the agency's writer and the Sở's reader (no Qt,
stdlib only): canonical JSON, hashes and verification codes (``canonical``), what ``data.json``
holds (``data``), building and verifying a package (``writer``), and reading one as hostile
input (``safe_zip``, ``strict_json``, ``limits``).
"""

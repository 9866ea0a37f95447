"""Write the guide's per-indicator "Phương pháp tính" text from the catalogue.

    python scripts/make_method_section.py [--check]

The text after the heading ``### Các quy ước chung và từng chỉ tiêu`` in docs/huong-dan-su-dung.md is
generated from the catalogue by :func:`kdx_desktop.core.method.guide_markdown`, the same text the PDF
annex and the window print. Run it after changing the catalogue, then ``scripts/make_guide_html.py``.
``--check`` exits 1 if the guide is stale (a test runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GUIDE = ROOT / "docs" / "huong-dan-su-dung.md"
HEADING = "### Các quy ước chung và từng chỉ tiêu\n\n"


def updated(text: str, body: str) -> str:
    """``text`` with the generated part (after :data:`HEADING`, up to the next ``## `` heading)."""
    start = text.index(HEADING) + len(HEADING)
    end = text.find("\n## ", start)
    rest = "" if end < 0 else text[end:]
    return text[:start] + body + rest


def main(argv: list[str] | None = None) -> int:
    from kdx_desktop.core.catalog_loader import load_catalog
    from kdx_desktop.core.method import guide_markdown

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    text = GUIDE.read_text(encoding="utf-8")
    new = updated(text, guide_markdown(load_catalog()))
    if args.check:
        return 0 if new == text else 1
    GUIDE.write_text(new, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

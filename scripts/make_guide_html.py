"""Write docs/huong-dan-su-dung.html from docs/huong-dan-su-dung.md (the Help menu opens the HTML).

    python scripts/make_guide_html.py [--check]

An offline Windows PC opens ``.html`` in any browser but usually has nothing for ``.md``. This converts
the small Markdown subset the guide uses — headings, paragraphs, nested lists, tables, fenced code,
bold, italic, code, links and pictures — with the standard library only. Heading anchors follow
GitHub's rule, so the same ``#…`` links work on both. ``--check`` exits 1 if the HTML is stale (a test
runs it).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "huong-dan-su-dung.md"
TARGET = SOURCE.with_suffix(".html")

STYLE = """
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 15px; line-height: 1.5; color: #1b1b1b;
       max-width: 980px; margin: 0 auto; padding: 16px 28px 48px; }
h1 { color: #1f4e79; border-bottom: 3px solid #1f4e79; padding-bottom: 6px; }
h2 { color: #1f4e79; border-bottom: 1px solid #c9d6e3; padding-bottom: 4px; margin-top: 2em; }
code { font-family: Consolas, "Courier New", monospace; background: #f1f4f7; padding: 1px 4px; border-radius: 3px; }
pre { background: #f1f4f7; padding: 10px 14px; border-radius: 4px; overflow-x: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 10px 0; }
th, td { border: 1px solid #c9d6e3; padding: 5px 9px; text-align: left; vertical-align: top; }
th { background: #e8eef4; }
img { max-width: 100%; border: 1px solid #c9d6e3; margin: 8px 0; }
"""


def slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation removed, spaces to hyphens."""
    text = unicodedata.normalize("NFC", re.sub(r"`", "", text)).lower().strip()
    text = "".join(ch for ch in text if ch.isalnum() or ch in " -_")
    return text.replace(" ", "-")


def inline(text: str) -> str:
    """Inline Markdown to HTML. Code spans are literal: they are set aside first (so that bold or a
    link may contain one) and put back last."""
    spans: list[str] = []

    def keep(m: re.Match[str]) -> str:
        spans.append(f"<code>{html.escape(m[1])}</code>")
        return f"\x00{len(spans) - 1}\x00"

    s = html.escape(re.sub(r"`([^`]*)`", keep, text), quote=False)
    s = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", lambda m: f'<img alt="{m[1]}" src="{m[2]}">', s)
    s = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", lambda m: f'<a href="{m[2]}">{m[1]}</a>', s)
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
    s = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", s)
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m[1])], s)


_ITEM = re.compile(r"^(\s*)(-|\d+\.)\s+(.*)$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def blocks(lines: list[str]) -> str:
    """Block-level Markdown to HTML."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
        elif stripped.startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            body = "\n".join(ln[_indent(line) :] for ln in lines[i + 1 : j])
            out.append(f"<pre><code>{html.escape(body)}</code></pre>")
            i = j + 1
        elif m := re.match(r"^(#{1,6})\s+(.*)$", stripped):
            level, title = len(m[1]), m[2].strip()
            out.append(f'<h{level} id="{html.escape(slug(title))}">{inline(title)}</h{level}>')
            i += 1
        elif stripped.startswith("|"):
            j = i
            while j < len(lines) and lines[j].strip().startswith("|"):
                j += 1
            out.append(_table([ln.strip() for ln in lines[i:j]]))
            i = j
        elif _ITEM.match(line):
            i = _list(lines, i, out)
        else:
            j = i
            while j < len(lines) and lines[j].strip() and not _starts_block(lines[j]):
                j += 1
            out.append(f"<p>{inline(' '.join(ln.strip() for ln in lines[i:j]))}</p>")
            i = j
    return "\n".join(out)


def _starts_block(line: str) -> bool:
    s = line.strip()
    return s.startswith(("```", "#", "|")) or bool(_ITEM.match(line))


def _table(rows: list[str]) -> str:
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    head, body = cells[0], [r for r in cells[2:]]
    out = ["<table>", "<tr>" + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in body]
    out.append("</table>")
    return "\n".join(out)


def _list(lines: list[str], i: int, out: list[str]) -> int:
    first = _ITEM.match(lines[i])
    assert first is not None
    base, ordered = len(first[1]), first[2] != "-"
    tag = "ol" if ordered else "ul"
    start = f' start="{first[2][:-1]}"' if ordered and first[2] != "1." else ""
    out.append(f"<{tag}{start}>")
    while i < len(lines):
        m = _ITEM.match(lines[i])
        if not m or len(m[1]) != base or (m[2] != "-") != ordered:
            break
        content_indent = len(lines[i]) - len(m[3])
        body = [m[3]]
        j = i + 1
        while j < len(lines):
            ln = lines[j]
            if ln.strip() and _indent(ln) < content_indent and not (ln.strip() and _indent(ln) > base):
                break
            if not ln.strip():
                nxt = next((x for x in lines[j + 1 :] if x.strip()), "")
                if _indent(nxt) < content_indent:
                    break
            body.append(ln[content_indent:] if _indent(ln) >= content_indent else ln.strip())
            j += 1
        inner = blocks(body)
        if inner.count("<p>") == 1 and inner.startswith("<p>"):
            inner = inner.replace("<p>", "", 1).replace("</p>", "", 1)
        out.append(f"<li>{inner}</li>")
        i = j
        while i < len(lines) and not lines[i].strip():
            i += 1
    out.append(f"</{tag}>")
    return i


def render(markdown: str) -> str:
    lines = markdown.splitlines()
    title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), "KDX")
    body = blocks(lines)
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        "<!-- Tạo tự động từ huong-dan-su-dung.md bằng scripts/make_guide_html.py: không sửa tay. -->\n"
        f"{body}\n</body>\n</html>\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="docs/huong-dan-su-dung.md → .html")
    parser.add_argument("--check", action="store_true", help="exit 1 if the HTML is not up to date")
    args = parser.parse_args(argv)
    page = render(SOURCE.read_text(encoding="utf-8"))
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != page:
            print(f"{TARGET.name} is stale: run python scripts/make_guide_html.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_bytes(page.encode("utf-8"))
    print(f"{TARGET} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())

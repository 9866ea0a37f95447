"""Reading a printed report as a reader does: the one place tests run poppler's ``pdftotext``
(:func:`pdf_text`, :func:`pdf_pages`), and page by page with ``-raw`` (:func:`page_bodies`).

``-raw`` keeps the order in which the page was drawn: the page number, the KDX footer line, then
the text block top to bottom, a table's cells row by row. So a table row is one run of text on
one page, and a header row printed above a row sits right before it. Spaces and line breaks are
removed before comparing: a reader does not care where a line wraps, only on which page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kdx_desktop.agency.report_pdf import render_report
from kdx_desktop.core.report import ReportState
from kdx_desktop.services.identity import identity
from kdx_desktop.services.reporting import load_state, open_app, set_values
from tests.tools import need


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: Path, *options: str) -> str:
    """The text of ``pdf`` as ``pdftotext`` gives it with ``options`` ("-raw", "-layout", "-l", "1"
    ...), in UTF-8; each page ends with a form feed."""
    return subprocess.run(
        [need("pdftotext"), *options, "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_pages(pdf: Path, *options: str) -> list[str]:
    """The text of each page of ``pdf``, first to last (see :func:`pdf_text`)."""
    return pdf_text(pdf, *options).split("\f")[:-1]


def words(text: str) -> str:
    """Runs of white space made one space: a sentence may wrap anywhere on the page."""
    return " ".join(text.split())


def page_bodies(pdf: Path) -> list[str]:
    """Each page's text without its furniture (page number, footer line), squashed."""
    out = []
    for page in pdf_pages(pdf, "-raw"):
        lines = [ln for ln in page.splitlines() if ln.strip()]
        # Drawn before the body: a draft's watermark, the page number, then the footer (" · ").
        footer = next(i for i, ln in enumerate(lines) if " · " in ln)
        out.append(squash("\n".join(lines[footer + 1 :])))
    return out


@dataclass(frozen=True)
class Table:
    name: str
    head: Sequence[str]
    rows: Sequence[Sequence[str]]


def check_table(pages: list[str], table: Table, start: tuple[int, int] = (0, 0)) -> list[str]:
    """What is wrong with how ``table`` is laid out (empty when nothing): a row whose text is not
    whole on one page, a header row that is not directly above the table's first row or at the
    top of a continuation page, a header repeated between rows."""
    head = squash("".join(table.head))
    found: list[tuple[int, int, int]] = []  # page, start, end of each row
    page, pos = start
    faults = []
    for row in table.rows:
        text = squash("".join(row))
        if not text:
            continue
        where = None
        for p in range(page, len(pages)):
            i = pages[p].find(text, pos if p == page else 0)
            if i >= 0:
                where = (p, i, i + len(text))
                break
        if where is None:
            faults.append(f"{table.name}: row “{' | '.join(row)[:60]}” is split between pages")
            continue
        found.append(where)
        page, pos = where[0], where[2]
    if not found:
        return faults
    first_page, first_at, _ = found[0]
    if pages[first_page][max(0, first_at - len(head)) : first_at] != head:
        faults.append(f"{table.name}: the header row is not directly above the first row")
    for p in sorted({f[0] for f in found}):
        on = [f for f in found if f[0] == p]
        if p != first_page and not pages[p].startswith(head + pages[p][on[0][1] : on[0][2]]):
            faults.append(f"{table.name}: page {p + 1} does not open with the header row and a row")
        if pages[p].find(head, on[0][1], on[-1][2]) >= 0:
            faults.append(f"{table.name}: the header row is repeated in the middle of page {p + 1}")
    return faults


def check_tables(pages: list[str], tables: Sequence[Table]) -> list[str]:
    """:func:`check_table` for each table, and no page holding a repeated header with no row of
    its table under it (tables may share a header: the agency's two indicator tables do)."""
    faults = [f for t in tables for f in check_table(pages, t)]
    for p, body in enumerate(pages):
        for t in tables:
            head = squash("".join(t.head))
            if body.startswith(head):
                rest = body[len(head) :]
                rows = [squash("".join(r)) for u in tables if u.head == t.head for r in u.rows]
                if not any(r and rest.startswith(r) for r in rows):
                    faults.append(f"{t.name}: page {p + 1} holds only a repeated header")
    return sorted(set(faults))


def check_signature(pages: list[str], closing: str, title: str, signer: str) -> list[str]:
    """The signature block (``Nơi nhận``, the authority, the signer) is on one page, after the
    closing paragraph of the body on that same page."""
    hits = [p for p, body in enumerate(pages) if "Nơinhận:" in body]
    if len(hits) != 1:
        return [f"“Nơi nhận:” is on {len(hits)} pages"]
    body = pages[hits[0]]
    at = body.find(squash(closing))
    faults = []
    if at < 0:
        faults.append(f"the signature block on page {hits[0] + 1} is without the end of the body")
    for what in (title, signer):
        if squash(what) not in body[body.find("Nơinhận:") :]:
            faults.append(f"“{what}” is not with “Nơi nhận:” on page {hits[0] + 1}")
    return faults


def long_task_report(demo_dir: Path, tmp_path: Path, *, task: int, text: str) -> tuple[ReportState, Path]:
    """The demo's BKT 2025 report with the result and notes of the ``task``-th task it leads at
    their length limits (4.000 + 2.000 characters of ``text`` repeated), so that its row is
    taller than a page: the report's state and its PDF, printed without a seal."""
    shutil.copytree(demo_dir, tmp_path / "data")
    app = open_app(tmp_path / "data")
    try:
        state = load_state(app, "BKT", 2025)
        code = state.catalog.tasks_led_by(state.org.kind, 2025)[task].code
        set_values(
            app,
            "BKT",
            2025,
            {f"task.{code}.done": (text * 200)[:4000], f"task.{code}.notes": (text * 100)[:2000]},
        )
        state = load_state(app, "BKT", 2025)
        pdf = tmp_path / "long.pdf"
        pdf.write_bytes(
            render_report(state, identity(app.catalog, app.store, "BKT", 2025), issued=None, seal=None)
        )
    finally:
        app.close()
    return state, pdf

"""Charts of each indicator against its targets across the years (reportlab graphics, no Qt).

Made to survive a black-and-white office printer: no colour carries meaning. The province's
result is a solid thick line with filled round markers and its value printed above each point;
the target is a dashed thin line with hollow square markers and its value printed below. The
legend repeats both line styles with their markers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.catalog import Indicator
from ..core.numbers import format_number

MM = 72 / 25.4
CHART_W, CHART_H = 78 * MM, 58 * MM


def _fmt(v: float, display: str) -> str:
    if display in ("count", "count_share"):
        return format_number(v, 0)
    return format_number(v, 1) if abs(v) < 1000 else format_number(v, 0)


def _axis_range(values: Sequence[float], *, whole: bool) -> tuple[float, float, float]:
    lo, hi = min([0.0, *values]), max([1.0, *values])
    span = hi - lo
    raw_step = span / 4
    steps = (1, 2, 5, 10) if whole else (0.25, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
    for step in steps:
        if step >= raw_step:
            break
    lo = (lo // step) * step
    hi = -((-hi * 1.18) // step) * step  # head-room for the value labels
    return lo, hi, step


def unit_caption(ind: Indicator) -> str:
    if ind.display == "split":
        return "% thành thị (phần còn lại: nông thôn, vùng sâu, vùng xa)"
    if ind.display in ("count", "count_share"):
        return "số cơ quan" if ind.compute.type != "flag" else "1 = đã có, 0 = chưa có"
    return ind.unit or "%"


def indicator_chart(
    ind: Indicator,
    years: Sequence[int],
    values: Sequence[float | None],
    targets: Sequence[float | None],
    *,
    font: str,
    bold_font: str,
    width: float = CHART_W,
    height: float = CHART_H,
) -> Any:
    """A ``Drawing`` of one indicator: the province's value and the target, per year."""
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.graphics.widgets.markers import makeMarker
    from reportlab.lib.colors import black, white

    d = Drawing(width, height)
    d.initialFontName = font
    title = f"{ind.source}. {ind.short_label}"
    lines = _wrap(title, bold_font, 8.5, width - 4)
    for i, ln in enumerate(lines[:2]):
        d.add(String(2, height - 10 - i * 10, ln, fontName=bold_font, fontSize=8.5, fillColor=black))
    top = height - 14 - 10 * min(len(lines), 2)
    d.add(String(2, top + 1, f"Đơn vị: {unit_caption(ind)}", fontName=font, fontSize=6.5, fillColor=black))

    n = len(years)
    series_val = [(i, v) for i, v in enumerate(values) if v is not None]
    series_tgt = [(i, float(t)) for i, t in enumerate(targets) if t is not None]
    data = [s for s in (series_tgt, series_val) if s]
    plot = LinePlot()
    plot.x, plot.y = 30, 30
    plot.width, plot.height = width - 40, top - 44
    lo, hi, step = _axis_range(
        [v for _, v in series_val + series_tgt], whole=ind.display in ("count", "count_share")
    )
    if data:
        plot.data = data
    else:
        plot.data = [[(0, 0)]]
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = -0.5, n - 0.5
    plot.xValueAxis.valueSteps = list(range(n))
    plot.xValueAxis.labelTextFormat = lambda v: str(years[round(v)]) if 0 <= round(v) < n else ""
    plot.xValueAxis.labels.fontName, plot.xValueAxis.labels.fontSize = font, 7
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = lo, hi, step
    decimals = 0 if step >= 1 else 2 if step < 0.5 else 1
    plot.yValueAxis.labelTextFormat = lambda v: format_number(v, decimals)
    plot.yValueAxis.labels.fontName, plot.yValueAxis.labels.fontSize = font, 7
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = black
    plot.yValueAxis.gridStrokeWidth = 0.15
    plot.yValueAxis.gridStrokeDashArray = (1, 2)
    styles: list[tuple[str, float, tuple[int, int] | None, str, Any]] = []
    if series_tgt:
        styles.append(("tgt", 0.8, (4, 2), "Square", white))
    if series_val:
        styles.append(("val", 1.6, None, "FilledCircle", black))
    for idx, (_, w, dash, marker, fill) in enumerate(styles):
        line = plot.lines[idx]
        line.strokeColor, line.strokeWidth = black, w
        if dash:
            line.strokeDashArray = dash
        m = makeMarker(marker)
        m.size = 6 if marker == "Square" else 4
        m.strokeColor, m.fillColor, m.strokeWidth = black, fill, 0.8
        line.symbol = m
    if not data:
        plot.lines[0].strokeWidth = 0
    d.add(plot)

    def y_of(v: float) -> float:
        return float(plot.y + (v - lo) / (hi - lo) * plot.height)

    def x_of(i: int) -> float:
        return float(plot.x + (i + 0.5) / n * plot.width)

    for i, v in series_val:
        d.add(
            String(
                x_of(i),
                y_of(v) + 5,
                _fmt(v, ind.display),
                fontName=bold_font,
                fontSize=7,
                textAnchor="middle",
            )
        )
    for i, t in series_tgt:
        ty = y_of(t) - 10
        if ty < plot.y + 2:  # too close to the axis: beside the marker instead of under it
            d.add(String(x_of(i) + 5, y_of(t) + 2, _fmt(t, ind.display), fontName=font, fontSize=6.5))
        else:
            d.add(String(x_of(i), ty, _fmt(t, ind.display), fontName=font, fontSize=6.5, textAnchor="middle"))
    if not series_val:
        d.add(
            String(
                plot.x + plot.width / 2,
                plot.y + plot.height / 2,
                "Chưa có số liệu",
                fontName=font,
                fontSize=8,
                textAnchor="middle",
            )
        )

    # Legend under the plot: a sample of each line with its marker.
    ly = 8
    entries: list[tuple[str, float, tuple[int, int] | None, str, Any]] = [
        ("Kết quả của tỉnh", 1.6, None, "FilledCircle", black),
        ("Chỉ tiêu", 0.8, (4, 2), "Square", white),
    ]
    x = 30.0
    for label, w, dash, marker, fill in entries:
        ln = Line(x, ly + 3, x + 20, ly + 3, strokeColor=black, strokeWidth=w)
        if dash:
            ln.strokeDashArray = dash
        d.add(ln)
        m = makeMarker(marker)
        m.x, m.y, m.size = x + 10, ly + 3, 6 if marker == "Square" else 4
        m.strokeColor, m.fillColor, m.strokeWidth = black, fill, 0.8
        d.add(m)
        d.add(String(x + 24, ly, label, fontName=font, fontSize=7))
        x += 24 + len(label) * 3.6 + 14
    return d


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if stringWidth(trial, font, size) <= width or not cur:
            cur = trial
        else:
            out.append(cur)
            cur = word
    if cur:
        out.append(cur)
    if len(out) > 2:
        out = [out[0], " ".join(out[1:])]
        while stringWidth(out[1] + "…", font, size) > width and len(out[1]) > 1:
            out[1] = out[1][:-1]
        out[1] = out[1].rstrip() + "…"
    return out


__all__ = ["CHART_H", "CHART_W", "indicator_chart", "unit_caption"]

"""Text pasted from a document typed in TCVN3 (.VnTime fonts): recognised, refused with the Unicode
text it stands for, and put right in one click in the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile.packages import dump

from kdx_desktop.core.legacy_text import from_tcvn3, looks_like_tcvn3
from kdx_desktop.core.rules import ERROR
from kdx_desktop.core.text import LegacyEncodingError, clean_text
from kdx_desktop.core.values import InvalidValue, field_for_key, parse_input
from kdx_desktop.services.reporting import load_state, open_app
from tests.cli_helpers import run
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

# What "Công tác chuyển đổi số báo chí năm 2025 của Báo Kon Tum" looks like when copied out of a
# document in .VnTime and pasted anywhere that shows Unicode.
PASTED = "C«ng t¸c chuyÓn ®æi sè b¸o chÝ n¨m 2025 cña B¸o Kon Tum"
MEANT = "Công tác chuyển đổi số báo chí năm 2025 của Báo Kon Tum"


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


def test_tcvn3_is_turned_into_unicode() -> None:
    assert from_tcvn3(PASTED) == MEANT
    assert from_tcvn3("§¬n vÞ: Së V¨n hãa, ThÓ thao vµ Du lÞch") == "Đơn vị: Sở Văn hóa, Thể thao và Du lịch"
    assert from_tcvn3("\u00adu tiªn ph¸t triÓn") == "ưu tiên phát triển"
    # the national motto as every .VnTime administrative document has it
    assert from_tcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert from_tcvn3("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"


@pytest.mark.parametrize(
    "text",
    [
        MEANT,  # Unicode Vietnamese
        "Có",  # short, Latin-1 letters only
        "Báo cáo năm 2025",
        "Kế hoạch số 54/KH-BKT, © 2025 ®",  # symbols, not inside words
        "Nhiệt độ 30°C; 10·000 bản",
        "Plain ASCII text",
        "",
        "Chuong trinh «Bao chi so» nam 2025",  # guillemets around an unaccented title
        "infor\u00admation tech\u00adnology infra\u00adstruc\u00adture",  # soft hyphens from a word processor
        "Microsoft®Word© and Excel®",
        "Facebook®, YouTube®, Zalo®",
        "Microsoft® Office®, Adobe® Photoshop®",
        "Products: «Radio», «TV» and «Print»",
        "Bụi mịn 35 µg/m3, trước đó 50 µg/m3",  # a unit in a Unicode sentence
        "5µm and 10µm",
        "Sản phẩm: Zalo® và Facebook®",
    ],
)
def test_unicode_text_is_never_taken_for_tcvn3(text: str) -> None:
    assert not looks_like_tcvn3(text)
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("pasted", "meant"),
    [
        ("Ph¸t triÓn b¸o chÝ", "Phát triển báo chí"),  # a few words are enough
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("Tæ chøc héi nghÞ tËp huÊn cho phãng viªn", "Tổ chức hội nghị tập huấn cho phóng viên"),
        ("Hoµn thµnh ®óng tiÕn ®é", "Hoàn thành đúng tiến độ"),
        # typed in Unicode, then a pasted paragraph: the Unicode paragraph is kept as it is
        ("Kết quả năm nay:\nTæ chøc héi nghÞ tËp huÊn", "Kết quả năm nay:\nTổ chức hội nghị tập huấn"),
        # on one line the two cannot be told apart word by word ("câu" or "c©u"): refused, no guess
        ("Kết quả: Tæ chøc héi nghÞ tËp huÊn", None),
    ],
)
def test_short_and_mixed_pastes_are_recognised(pasted: str, meant: str | None) -> None:
    assert looks_like_tcvn3(pasted)
    with pytest.raises(LegacyEncodingError) as exc:
        clean_text(pasted)
    assert exc.value.converted == meant


def test_a_tcvn3_paste_is_refused_with_what_it_means() -> None:
    assert looks_like_tcvn3(PASTED)
    with pytest.raises(LegacyEncodingError) as exc:
        clean_text(PASTED)
    assert exc.value.converted == MEANT
    assert "TCVN3" in str(exc.value) and "Công tác chuyển đổi" in str(exc.value)


def test_parsing_a_field_offers_the_unicode_text(data: Path) -> None:
    app = open_app(data)
    try:
        field = field_for_key(app.catalog, "narrative.results")
        with pytest.raises(InvalidValue) as exc:
            parse_input(field, PASTED)
        assert exc.value.suggestion == MEANT and "narrative.results" in str(exc.value)
        assert parse_input(field, MEANT) == MEANT
    finally:
        app.close()


def test_the_command_line_refuses_it_and_stores_nothing(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = open_app(data)
    before = dump(app)
    app.close()
    code, _out, err = run(
        capsys,
        "set",
        "--data-dir",
        str(data),
        "--org",
        "BKT",
        "--year",
        "2026",
        f"narrative.results={PASTED}",
    )
    assert code == 2 and "TCVN3" in err and MEANT[:30] in err
    app = open_app(data)
    try:
        assert dump(app) == before
    finally:
        app.close()


def test_text_stored_before_this_check_is_reported_as_an_error(data: Path) -> None:
    """A report whose text was pasted in TCVN3 earlier cannot be exported until it is put right."""
    app = open_app(data)
    try:
        report = app.store.report("BKT", 2026)
        assert report is not None
        app.store.save_entries(  # bypassing the checks
            report, {"narrative.results": (PASTED, False), "justification.W02.pl1_1": (PASTED, False)}
        )
        state = load_state(app, "BKT", 2026)
        for key in ("narrative.results", "justification.W02.pl1_1"):
            found = [i for i in state.issues if i.field == key]
            assert found and found[0].severity == ERROR and "TCVN3" in found[0].message, key
    finally:
        app.close()


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_the_window_offers_to_convert_and_saves_the_unicode_text(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    key = "narrative.results"
    w.type_into(key, PASTED)
    row = w.row(key)
    assert row.error.isVisible() and "TCVN3" in row.error.text() and "Chuyển sang Unicode" in row.error.text()
    assert w.session.value(key) != PASTED  # nothing was saved
    row.error.linkActivated.emit("unicode")  # the officer clicks "Chuyển sang Unicode"
    assert w.session.value(key) == MEANT
    assert row.editor.toPlainText() == MEANT and not row.error.isVisible()
    w.close()


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_a_justification_pasted_in_tcvn3_is_offered_in_unicode(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "TCVN", 2025)
    side, ui = w.window.side, w.window.ui
    assert side.select_problem("W02", "pl1_3")
    ui.justificationEdit.setPlainText("Do gi¸ giÊy t¨ng, b¸o gi¶m ph¸t hµnh ë n«ng th«n.")
    assert not side.save_justification()
    assert "TCVN3" in ui.justificationTarget.text() and "Chuyển sang Unicode" in ui.justificationTarget.text()
    ui.justificationTarget.linkActivated.emit("unicode")
    assert w.stored("justification.W02.pl1_3")[0] == "Do giá giấy tăng, báo giảm phát hành ở nông thôn."
    w.close()


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_the_link_converts_the_text_as_it_is_when_clicked(qtbot, data: Path) -> None:
    """Typing goes on after a refusal: the link must not bring back the text of that moment."""
    w = Opened(qtbot, data, "BKT", 2026)
    key = "narrative.results"
    w.type_into(key, PASTED)
    row = w.row(key)
    assert "Chuyển sang Unicode" in row.error.text()
    row.editor.setPlainText(PASTED + "\nThêm một câu mới.")  # the officer adds a sentence
    row.error.linkActivated.emit("unicode")
    assert w.session.value(key) == MEANT + "\nThêm một câu mới."
    # in the justification box, a text rewritten by hand in Unicode is saved as written
    w2 = Opened(qtbot, data, "TCVN", 2025)
    side, ui = w2.window.side, w2.window.ui
    assert side.select_problem("W02", "pl1_3")
    ui.justificationEdit.setPlainText("Do gi¸ giÊy t¨ng, b¸o gi¶m ph¸t hµnh ë n«ng th«n.")
    assert not side.save_justification()
    ui.justificationEdit.setPlainText("Giá giấy tăng; đã bổ sung số liệu quý IV.")
    ui.justificationTarget.linkActivated.emit("unicode")
    assert w2.stored("justification.W02.pl1_3")[0] == "Giá giấy tăng; đã bổ sung số liệu quý IV."
    w.close()
    w2.close()

"""Generate the hostile corpus: broken, forged and malicious packages, each with the refusal
code the Sở's intake must give it.

Used by ``tests/test_intake_hostile.py`` (generated at test time into a temporary folder), and
runnable by hand to inspect the files::

    python tests/hostile/make_corpus.py OUT_DIR --base BaoCao_BQN_2025_lan1.zip

Starting from one honest package (revision 1), it writes ``setup/`` (an honest revision 2 of
the same report, to import first, so that revision cases have something to be older than or
to conflict with) and one ``.zip`` per case, plus ``index.json`` (file → accepted codes).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import struct
import sys
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kdx_desktop.package.canonical import canonical_json, verification_code  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    raw: bytes
    codes: frozenset[str]  # any of these refusal codes is the right answer


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def write_zip(
    members: list[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED, comment: bytes = b""
) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore")  # duplicate names are wanted here
        for name, body in members:
            info = zipfile.ZipInfo(name, date_time=(2025, 11, 20, 9, 0, 0))
            info.compress_type = method
            zf.writestr(info, body)
        zf.comment = comment
    return buf.getvalue()


class Base:
    """The honest package's members, and ways to re-pack altered copies of it."""

    def __init__(self, raw: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            self.members = {i.filename: zf.read(i) for i in zf.infolist()}
        self.manifest: dict[str, Any] = json.loads(self.members["manifest.json"])
        self.data: dict[str, Any] = json.loads(self.members["data.json"])
        self.raw = raw

    def others(self) -> dict[str, bytes]:
        return {k: v for k, v in self.members.items() if k not in ("manifest.json", "data.json")}

    def manifest_for(
        self, data_bytes: bytes, files: dict[str, bytes], data: dict[str, Any] | None
    ) -> dict[str, Any]:
        m = copy.deepcopy(self.manifest)
        if data is not None:
            for key in ("year", "revision", "supersedes", "catalog", "created_at", "app_version"):
                if key in data:
                    m[key] = data[key]
            org = data.get("organisation")
            if isinstance(org, dict):
                m["organisation"] = {"code": org.get("code"), "name": org.get("name")}
        members = {"data.json": data_bytes, **files}
        m["files"] = [{"path": p, "sha256": _sha(b), "size": len(b)} for p, b in members.items()]
        m["data_sha256"] = _sha(data_bytes)
        m["verification_code"] = verification_code(m["data_sha256"])
        return m

    def pack(
        self,
        data: dict[str, Any] | bytes | None = None,
        *,
        patch: Callable[[dict[str, Any]], None] | None = None,
        manifest_raw: bytes | None = None,
        files: dict[str, bytes] | None = None,
        extra: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    ) -> bytes:
        """A package with honest hashes around ``data`` (a dict, or raw bytes for broken JSON)."""
        if data is None:
            data = copy.deepcopy(self.data)
        data_bytes = canonical_json(data) if isinstance(data, dict) else data
        files = self.others() if files is None else files
        m = self.manifest_for(data_bytes, files, data if isinstance(data, dict) else None)
        if patch:
            patch(m)
        mraw = manifest_raw if manifest_raw is not None else canonical_json(m)
        return write_zip([("manifest.json", mraw), ("data.json", data_bytes), *files.items(), *extra])

    def with_data(self, change: Callable[[dict[str, Any]], None]) -> bytes:
        d = copy.deepcopy(self.data)
        change(d)
        return self.pack(d)


# -- byte-level surgery on a zip ----------------------------------------------------------


def _central_entries(raw: bytes) -> list[int]:
    """Offsets of the central directory records."""
    out, pos = [], raw.find(b"PK\x01\x02")
    while pos != -1:
        out.append(pos)
        pos = raw.find(b"PK\x01\x02", pos + 46)
    return out


def _patch(raw: bytes, pos: int, fmt: str, value: int) -> bytes:
    return raw[:pos] + struct.pack(fmt, value) + raw[pos + struct.calcsize(fmt) :]


def rename_member(members: list[tuple[str, bytes]], index: int, name: str) -> bytes:
    """A zip whose member ``index`` is stored under the raw ``name``, bypassing zipfile's own
    clean-up (it cuts names at NUL): written under an ASCII placeholder of the same length, then
    the name bytes are swapped in. Non-ASCII names are written as they are (UTF-8 flag set)."""
    if not name.isascii():
        return write_zip([(name if i == index else n, b) for i, (n, b) in enumerate(members)])
    placeholder = f"X{index:0{len(name) - 1}d}"
    renamed = [(placeholder if i == index else n, b) for i, (n, b) in enumerate(members)]
    raw = write_zip(renamed)
    assert raw.count(placeholder.encode()) == 2
    return raw.replace(placeholder.encode(), name.encode("ascii"))


def overlapping(base: Base) -> bytes:
    raw = base.raw
    cds = _central_entries(raw)
    first_off = struct.unpack("<I", raw[cds[0] + 42 : cds[0] + 46])[0]
    return _patch(raw, cds[1] + 42, "<I", first_off)


def with_gap(base: Base) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i, (name, body) in enumerate(base.members.items()):
            zf.writestr(zipfile.ZipInfo(name, date_time=(2025, 11, 20, 9, 0, 0)), body, zipfile.ZIP_DEFLATED)
            if i == 0:
                buf.seek(0, 2)
                buf.write(b"HIDDEN-PAYLOAD" * 20)
                zf.start_dir = buf.tell()
    return buf.getvalue()


def flag_encrypted(base: Base) -> bytes:
    raw = base.raw
    for cd in _central_entries(raw):
        flags = struct.unpack("<H", raw[cd + 8 : cd + 10])[0]
        raw = _patch(raw, cd + 8, "<H", flags | 0x1)
    return raw


def lie_about_size(base: Base) -> bytes:
    raw = base.raw
    cd = _central_entries(raw)[1]  # data.json
    real = struct.unpack("<I", raw[cd + 24 : cd + 28])[0]
    return _patch(raw, cd + 24, "<I", max(real // 2, 1))


def flip(raw: bytes, at: int) -> bytes:
    return raw[:at] + bytes([raw[at] ^ 0x5A]) + raw[at + 1 :]


def data_offset(raw: bytes, name: str) -> int:
    """Where the compressed bytes of ``name`` start."""
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        info = zf.getinfo(name)
    n, m = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + n + m


def bomb(base: Base, size: int = 48 * 1024 * 1024) -> bytes:
    """48 MB of zeros deflated to about 48 KB, listed in the manifest as a small scan."""
    files = {**base.others(), "attachments/T1/bang-chung.pdf": b"\0" * size}

    def lie(m: dict[str, Any]) -> None:
        m["files"][-1].update(size=180_000, sha256="e" * 64)

    return base.pack(files=files, patch=lie)


def deep(n: int) -> str:
    return "[" * n + "]" * n


# -- the corpus ---------------------------------------------------------------------------


def make_corpus(base_raw: bytes) -> tuple[list[bytes], list[Case]]:
    """(setup packages to import first, hostile cases)."""
    b = Base(base_raw)
    cases: list[Case] = []

    def add(name: str, raw: bytes, *codes: str) -> None:
        cases.append(Case(name, raw, frozenset(codes)))

    def data(change: Callable[[dict[str, Any]], None]) -> bytes:
        return b.with_data(change)

    def setv(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
        return lambda d: d["values"].__setitem__(key, value)

    r2 = copy.deepcopy(b.data)
    r2["revision"] = 2
    r2["supersedes"] = b.manifest["data_sha256"]
    r2["narrative"]["results"] = r2["narrative"]["results"] + " Bổ sung số liệu lần 2."
    setup = [b.pack(r2)]

    ms = list(b.members.items())
    # Not a zip at all, or a broken one.
    add("khong-phai-zip", b"%PDF-1.7 not a zip at all", "zip.not_zip")
    add("tep-rong", b"", "zip.not_zip")
    add("rac-truoc-zip", b"MZ\x90\x00" + base_raw, "zip.not_zip")
    add("cat-cut-mot-nua", base_raw[: len(base_raw) // 2], "zip.corrupt")
    add("cat-cut-cuoi", base_raw[:-10], "zip.corrupt")
    add("cat-cut-dau-muc-luc", base_raw[: base_raw.find(b"PK\x01\x02") + 10], "zip.corrupt")
    add(
        "lat-mot-byte-du-lieu",
        flip(base_raw, data_offset(base_raw, "data.json") + 20),
        "zip.crc",
        "zip.corrupt",
    )
    add(
        "lat-mot-byte-ke-khai",
        flip(base_raw, data_offset(base_raw, "manifest.json") + 5),
        "zip.crc",
        "zip.corrupt",
    )
    add(
        "lat-mot-byte-pdf",
        flip(base_raw, data_offset(base_raw, "report.pdf") + 100),
        "zip.crc",
        "zip.corrupt",
    )
    add(
        "lat-byte-ten-muc-luc",
        flip(base_raw, _central_entries(base_raw)[1] + 47),
        "zip.corrupt",
        "zip.unsafe_name",
        "zip.unlisted",
    )
    # Names.
    for i, (name, raw_name) in enumerate(
        [
            ("duong-dan-thoat-ra", "../../evil.txt"),
            ("duong-dan-thoat-giua", "attachments/../../evil.txt"),
            ("duong-dan-tuyet-doi", "/etc/cron.d/evil"),
            ("o-dia-windows", "C:/Windows/evil.dll"),
            ("o-dia-windows-gach-nguoc", "C:\\evil.bat"),
            ("gach-nguoc", "attachments\\..\\evil.txt"),
            ("duong-dan-unc", "//server/share/evil"),
            ("ky-tu-nul", "data.json\x00.exe"),
            ("thu-muc", "attachments/"),
            ("luong-ntfs", "report.pdf:hidden"),
            ("ten-chua-chuan-nfc", unicodedata.normalize("NFD", "attachments/bằng-chứng.pdf")),
            ("ten-qua-dai", "attachments/" + "a" * 300 + ".pdf"),
            ("ky-tu-dieu-khien", "attachments/evil\x1b[2J.pdf"),
            ("ky-tu-an-huong-viet", "attachments/gpj.\u202eexe"),
        ]
    ):
        extra = [*ms, ("PLACEHOLDER", b"payload")]
        add(name, rename_member(extra, len(extra) - 1, raw_name), "zip.unsafe_name")
        del i
    add("trung-ten", write_zip([*ms, ("data.json", b.members["data.json"])]), "zip.duplicate")
    add("trung-ten-khac-hoa-thuong", write_zip([*ms, ("Data.json", b"{}")]), "zip.duplicate")
    add("chong-lan", overlapping(b), "zip.overlap", "zip.gap")
    add("du-lieu-an-giua", with_gap(b), "zip.gap")
    add("chu-thich-la", write_zip(ms, comment=b"see http://evil.example"), "zip.comment")
    add("ma-hoa", flag_encrypted(b), "zip.encrypted")
    add("kieu-nen-la", write_zip(ms, method=zipfile.ZIP_BZIP2), "zip.method")
    add(
        "khai-sai-kich-thuoc", lie_about_size(b), "zip.crc", "zip.corrupt", "zip.size_mismatch", "hash.member"
    )
    add("bom-nen", bomb(b), "zip.bomb", "zip.member_too_large")
    add(
        "bom-nen-data",
        b.pack(b'{"a":"' + b"0" * (30 * 1024 * 1024) + b'"}'),
        "zip.bomb",
        "zip.member_too_large",
    )
    add(
        "qua-nhieu-thanh-phan",
        b.pack(files={**b.others(), **{f"attachments/T1/{i}.txt": b"x" for i in range(210)}}),
        "zip.too_many",
    )
    # The manifest.
    add("thieu-ke-khai", write_zip(ms[1:]), "zip.no_manifest")
    add("ke-khai-khong-phai-json", b.pack(manifest_raw=b"manifest: yes"), "json.syntax")
    add("ke-khai-nan", b.pack(manifest_raw=b'{"format":NaN}'), "json.nan")
    add("ke-khai-infinity", b.pack(manifest_raw=b'{"format":-Infinity}'), "json.nan")
    add(
        "ke-khai-trung-khoa",
        b.pack(manifest_raw=b'{"format":"kdx-package","format":"x"}'),
        "json.duplicate_key",
    )
    add("ke-khai-long-sau", b.pack(manifest_raw=('{"a":' + deep(5000) + "}").encode()), "json.depth")
    add(
        "ke-khai-qua-lon",
        b.pack(manifest_raw=b'{"a":"' + b"x" * 300_000 + b'"}'),
        "zip.member_too_large",
        "json.too_large",
    )
    add("ke-khai-bom", b.pack(manifest_raw=b"\xef\xbb\xbf" + canonical_json(b.manifest)), "json.bom")
    add("ke-khai-sai-utf8", b.pack(manifest_raw=b'{"a":"\xff\xfe"}'), "json.encoding")
    add(
        "ke-khai-khong-chuan",
        b.pack(manifest_raw=json.dumps(b.manifest, indent=1).encode()),
        "json.not_canonical",
    )
    add("ke-khai-so-khong-lo", b.pack(manifest_raw=b'{"a":' + b"9" * 40 + b"}"), "json.huge_number")
    add("ke-khai-surrogate", b.pack(manifest_raw=b'{"a":"\\ud800"}'), "json.surrogate")
    add("ke-khai-la-mang", b.pack(manifest_raw=b"[]"), "json.not_object")
    add("sai-dinh-dang-goi", b.pack(patch=lambda m: m.__setitem__("format", "zip-khac")), "manifest.format")
    add(
        "dinh-dang-moi-hon",
        b.pack(patch=lambda m: m.__setitem__("format_version", 99)),
        "manifest.format_version",
    )
    add(
        "ke-khai-thieu-tep",
        b.pack(
            patch=lambda m: m["files"].append({"path": "attachments/T1/x.pdf", "sha256": "0" * 64, "size": 1})
        ),
        "zip.missing",
    )
    add("thanh-phan-ngoai-ke-khai", b.pack(extra=[("evil.exe", b"MZ")]), "zip.unlisted")
    add(
        "ke-khai-khong-co-data",
        b.pack(patch=lambda m: m.__setitem__("files", [f for f in m["files"] if f["path"] != "data.json"])),
        "zip.unlisted",
        "manifest.no_data",
    )
    add(
        "ke-khai-ma-bam-hong",
        b.pack(patch=lambda m: m["files"][1].__setitem__("sha256", "XYZ")),
        "manifest.files",
    )
    add(
        "ke-khai-liet-ke-duong-dan-xau",
        b.pack(patch=lambda m: m["files"].append({"path": "../x", "sha256": "0" * 64, "size": 1})),
        "manifest.files",
    )
    # Hashes.
    sealed = zipfile.ZipFile(io.BytesIO(base_raw)).comment
    moved = dict(b.manifest, created_at="2025-11-01T08:00:00+07:00")
    add(
        "ke-khai-bi-sua-co-niem-phong",
        write_zip([("manifest.json", canonical_json(moved)), *ms[1:]], comment=sealed),
        "hash.manifest",
    )
    add(
        "sai-ma-bam-pdf", b.pack(patch=lambda m: m["files"][1].__setitem__("sha256", "a" * 64)), "hash.member"
    )
    add(
        "sai-kich-thuoc-pdf",
        b.pack(patch=lambda m: m["files"][1].__setitem__("size", m["files"][1]["size"] + 1)),
        "hash.member",
    )
    add(
        "sai-ma-bam-data",
        b.pack(patch=lambda m: m["files"][0].__setitem__("sha256", "b" * 64)),
        "hash.member",
    )
    add("sai-data-sha256", b.pack(patch=lambda m: m.__setitem__("data_sha256", "c" * 64)), "hash.data")
    add(
        "sai-ma-xac-thuc",
        b.pack(patch=lambda m: m.__setitem__("verification_code", "AAAA-BBBB-CCCC")),
        "hash.code",
    )
    pdf_changed = {**b.others(), "report.pdf": b.members["report.pdf"] + b"%tampered"}
    add(
        "pdf-bi-sua-ke-khai-cu",
        b.pack(
            files=pdf_changed,
            patch=lambda m: m["files"].__setitem__(
                1, next(f for f in Base(b.raw).manifest["files"] if f["path"] == "report.pdf")
            ),
        ),
        "hash.member",
    )
    # data.json that is not acceptable JSON (hashes honest).
    canon = canonical_json(b.data)
    staff = f'"staff_total":{b.data["values"]["staff_total"]}'.encode()  # whichever agency is the base
    assert staff in canon
    add("data-nan", b.pack(canon.replace(staff, b'"staff_total":NaN')), "json.nan")
    add(
        "data-trung-khoa",
        b.pack(canon.replace(staff, staff + b',"staff_total":5')),
        "json.duplicate_key",
    )
    add(
        "data-long-sau",
        b.pack(canon.replace(staff, b'"staff_total":' + deep(10_000).encode())),
        "json.depth",
    )
    add(
        "data-so-vo-cuc",
        b.pack(canon.replace(staff, b'"staff_total":1e400')),
        "json.huge_number",
    )
    add(
        "data-so-nguyen-khong-lo",
        b.pack(canon.replace(staff, b'"staff_total":' + b"9" * 5000)),
        "json.huge_number",
    )
    add(
        "data-khong-chuan",
        b.pack(json.dumps(b.data, ensure_ascii=True, sort_keys=True).encode()),
        "json.not_canonical",
    )
    add("data-la-mang", b.pack(b"[1,2,3]"), "json.not_object")
    add("data-sai-utf8", b.pack(canon.replace(staff, b'"staff_total":"\xff"')), "json.encoding")
    add("data-cu-phap-hong", b.pack(canon[:-1]), "json.syntax")
    # Content that the catalogue does not accept (honest hashes, valid JSON).
    add("danh-muc-la", data(lambda d: d["catalog"].__setitem__("id", "danh-muc-khac")), "catalog.unknown")
    add("danh-muc-moi-hon", data(lambda d: d["catalog"].__setitem__("version", "9999.1")), "catalog.newer")
    add("danh-muc-bi-sua", data(lambda d: d["catalog"].__setitem__("sha256", "d" * 64)), "catalog.modified")
    add("to-chuc-la", data(lambda d: d["organisation"].__setitem__("code", "XYZ")), "org.unknown")
    add(
        "goi-cua-chinh-so",
        data(lambda d: d["organisation"].update(code="STTTT", kind="department")),
        "org.self",
    )
    other_kind = "newspaper" if b.data["organisation"]["kind"] != "newspaper" else "magazine"
    add("sai-loai-to-chuc", data(lambda d: d["organisation"].__setitem__("kind", other_kind)), "org.kind")
    add("nam-ngoai-ke-hoach", data(lambda d: d.__setitem__("year", 2019)), "year.unknown")
    add("nam-la-chuoi", data(lambda d: d.__setitem__("year", "2025")), "year.unknown")
    add("lan-gui-0", data(lambda d: d.__setitem__("revision", 0)), "revision.invalid")
    add("so-am", data(setv("staff_total", -5)), "value.invalid")
    add("vuot-gioi-han", data(setv("staff_trained", 10**6)), "value.invalid")
    add("so-qua-lon", data(setv("print_copies_city", 10**17)), "value.invalid")
    add("chu-thay-so", data(setv("staff_total", "năm mươi tám")), "value.invalid")
    add("boolean-thay-so", data(setv("staff_total", True)), "value.invalid")
    add("so-thuc-cho-so-nguyen", data(setv("staff_total", 58.5)), "value.invalid")
    add("ma-chi-so-la", data(setv("so_lieu_la", 1)), "value.unknown_code")
    # A value the base agency's kind does not have (a newspaper is not relicensed; a magazine has
    # no security level).
    foreign = "relicensed" if b.data["organisation"]["kind"] != "magazine" else "security_level"
    add(
        "chi-so-khong-ap-dung",
        data(setv(foreign, True if foreign == "relicensed" else 3)),
        "value.not_applicable",
    )
    add("lua-chon-la", data(setv("converged_status", "finished")), "value.invalid")
    add("cau-truc-gia-tri-la", data(setv("staff_total", {"na": False, "x": 1})), "value.invalid")
    add(
        "nhiem-vu-la", data(lambda d: d["tasks"].__setitem__("T99", {"status": "done"})), "value.unknown_code"
    )
    add(
        "nhiem-vu-khong-chu-tri",
        data(lambda d: d["tasks"].__setitem__("T2", {"status": "done"})),
        "value.not_applicable",
    )
    add(
        "ngay-khong-ton-tai",
        data(lambda d: d["tasks"]["T1"].__setitem__("product_date", "2025-02-30")),
        "value.invalid",
    )
    add(
        "na-cho-truong-bat-buoc",
        data(lambda d: d["tasks"]["T1"].__setitem__("status", {"na": True})),
        "value.invalid",
    )
    add(
        "giai-trinh-luat-la",
        data(lambda d: d["justifications"].__setitem__("X99.staff_total", "?")),
        "value.unknown_code",
    )
    add(
        "sua-ket-qua-chi-tieu",
        data(
            lambda d: d["indicators"][0].__setitem__(
                "status", "met" if d["indicators"][0]["status"] != "met" else "not_met"
            )
        ),
        "verdict.indicator",
    )
    add("sua-so-lieu-giu-ket-qua", data(setv("ip_rural", 10)), "verdict.indicator", "verdict.rules")
    add("xoa-canh-bao", data(lambda d: d["validation"].__setitem__("issues", [])), "verdict.rules")
    add("bo-giai-trinh", data(lambda d: d.__setitem__("justifications", {})), "rules.blocking")
    add("nam-data-khac-ke-khai", b.pack(b.data, patch=lambda m: m.__setitem__("year", 2024)), "data.mismatch")
    add(
        "thoi-diem-khong-mui-gio",
        data(lambda d: d.__setitem__("created_at", "2025-11-20T09:00:00")),
        "data.created_at",
    )
    add("thong-tin-co-quan-la", data(lambda d: d["identity"].__setitem__("script", "<x>")), "data.identity")
    add("dinh-dang-du-lieu-la", data(lambda d: d.__setitem__("format", "khac")), "data.format")
    add("thieu-muc-values", data(lambda d: d.pop("values")), "data.shape")
    # Revisions (after the setup revision 2 is imported).
    add("lan-gui-cu-hon", base_raw, "revision.older")
    r2b = copy.deepcopy(r2)
    r2b["narrative"]["results"] += " Một bản khác của lần 2."
    add("xung-dot-cung-lan-gui", b.pack(r2b), "revision.conflict")
    return setup, cases


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Tạo bộ gói độc hại/hỏng để kiểm thử phần nhập của Sở.")
    ap.add_argument("out", type=Path)
    ap.add_argument("--base", type=Path, required=True, help="một gói KDX hợp lệ, lần gửi 1")
    args = ap.parse_args(argv)
    setup, cases = make_corpus(args.base.read_bytes())
    (args.out / "setup").mkdir(parents=True, exist_ok=True)
    for i, raw in enumerate(setup, start=1):
        (args.out / "setup" / f"setup-{i}.zip").write_bytes(raw)
    index = {}
    for n, c in enumerate(cases, start=1):
        name = f"{n:03d}-{c.name}.zip"
        (args.out / name).write_bytes(c.raw)
        index[name] = sorted(c.codes)
    (args.out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), "utf-8")
    print(f"{len(cases)} gói trong {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["Base", "Case", "make_corpus", "zlib"]

"""``demo``: realistic sample data for every agency, 2023-2025, and a draft for the current year."""

from __future__ import annotations

import argparse

from ..services.demo import fill_demo
from . import EXIT_OK, add, with_app


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    add(sub, common, "demo", "tạo dữ liệu mẫu (các cơ quan báo chí 2023-2025 và bản nháp năm nay)", run)


def run(args: argparse.Namespace) -> int:
    with with_app(args) as app:
        made = fill_demo(app)
    print(f"Đã tạo dữ liệu mẫu: {made} báo cáo.")
    return EXIT_OK

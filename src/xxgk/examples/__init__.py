"""Reports shipped with the package: real published reports, every figure as published."""

from __future__ import annotations

from pathlib import Path

from xxgk.report import Report, load_json

EXAMPLES_DIR = Path(__file__).parent
BAODING_2024 = "baoding-kjj-2024"


def names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.json"))


def load_example(name: str = BAODING_2024) -> Report:
    """The bundled example ``name`` (default: 保定市科学技术局 2024年度报告)."""
    return load_json(EXAMPLES_DIR / f"{name}.json")

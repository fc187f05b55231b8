from __future__ import annotations

import pytest

from xxgk.examples import load_example
from xxgk.report import Report


@pytest.fixture
def example() -> Report:
    """A fresh copy of the bundled example (保定市科学技术局 2024), safe to modify."""
    return load_example()

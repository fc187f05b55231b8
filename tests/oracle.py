"""The independent label oracle: ``shared/spec/official-labels.json`` beside the repository.

CI lays shared/ beside the clone; a developer checkout has it at the same place. The project
never reads this file at run time, only tests compare with it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared"
LABELS = SHARED / "spec" / "official-labels.json"
EXAMPLES = SHARED / "examples"


@cache
def official_labels() -> dict[str, Any]:
    return json.loads(LABELS.read_text(encoding="utf-8"))["formats"]

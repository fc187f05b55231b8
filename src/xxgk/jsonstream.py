"""Writing a JSON array one item at a time, byte for byte as ``json.dumps(items,
ensure_ascii=False, indent=2)`` would, so a batch of any size holds one item in memory."""

from __future__ import annotations

import json
from typing import Any, TextIO


class JsonList:
    """``add`` each item, then ``close``. ``level`` is the nesting depth of the array (0: the
    whole output). With ``bare_if_one``, an array of exactly one item is written as that item
    alone (the convention of ``xxgk check``/``audit`` for one file)."""

    def __init__(self, out: TextIO, *, level: int = 0, bare_if_one: bool = False) -> None:
        self.out = out
        self.level = level
        self.bare_if_one = bare_if_one
        self.count = 0
        self._held: Any = None  # the first item, until a second tells it is a list

    def add(self, item: Any) -> None:
        self.count += 1
        if self.count == 1 and self.bare_if_one:
            self._held = item
            return
        if self.count == 1 or (self.count == 2 and self.bare_if_one):
            self.out.write("[")
        if self.count == 2 and self.bare_if_one:
            self._write_item(self._held, first=True)
            self._held = None
        self._write_item(item, first=self.count == 1)

    def _write_item(self, item: Any, first: bool) -> None:
        pad = "  " * (self.level + 1)
        text = json.dumps(item, ensure_ascii=False, indent=2)
        # Only structural line breaks: json escapes "\n" inside strings.
        self.out.write(("\n" if first else ",\n") + "\n".join(pad + line for line in text.split("\n")))

    def close(self) -> None:
        if self.count == 1 and self.bare_if_one:
            text = json.dumps(self._held, ensure_ascii=False, indent=2)
            self.out.write(text.replace("\n", "\n" + "  " * self.level))
            self._held = None
        elif self.count == 0:
            self.out.write("[]")
        else:
            self.out.write("\n" + "  " * self.level + "]")

"""Agency names: one normalised key per agency, and the optional roster (agency, level, parent)."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from xxgk.errors import InputError, unreadable

_SPACE = re.compile(r"\s+")


def agency_key(name: str) -> str:
    """The key reports of one agency share: full-width letters/digits folded to half-width
    (NFKC), every space removed. Prefixes such as 市/区/县 are kept as printed: 市教育局 and
    区教育局 are different agencies."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name or ""))


@dataclass(frozen=True)
class Member:
    name: str
    level: str = ""
    parent: str = ""

    @property
    def key(self) -> str:
        return agency_key(self.name)


# Header words accepted for each roster column (the first row of the file).
_COLUMNS = {"name": ("单位", "机关", "单位名称", "机关名称", "名称"), "level": ("级别", "层级"),
            "parent": ("上级", "上级单位", "所属")}


def _rows_from(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte string
            raise InputError(f"单位名单 {path.name} 的编码无法识别，请另存为 UTF-8 编码的 CSV。")
        return [list(r) for r in csv.reader(text.splitlines())]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise InputError(f"单位名单 {path.name} 无法作为 Excel 工作簿打开（{type(exc).__name__}）。") from None
        ws = wb.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    raise InputError(f"单位名单应为 .xlsx 或 .csv 文件（现为 {path.name}）。")


def read_roster(path: str | Path) -> list[Member]:
    """The roster: a first row naming the columns (单位, 级别, 上级), then one agency a row."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"找不到单位名单：{path}。")
    try:
        rows = [r for r in _rows_from(path) if any(c.strip() for c in r)]
    except OSError as exc:  # no permission, locked by another program
        raise unreadable(path, exc) from None
    if not rows:
        raise InputError(f"单位名单 {path.name} 是空的。第一行应为列名：单位、级别、上级。")
    header = [c.strip() for c in rows[0]]
    where = {}
    for field, words in _COLUMNS.items():
        where[field] = next((i for i, h in enumerate(header) if h in words), None)
    if where["name"] is None:
        raise InputError(f"单位名单 {path.name} 第 1 行没有“单位”列。第一行应为列名：单位、级别、上级。")
    members, seen = [], set()

    def col(row: list[str], field: str) -> str:
        i = where[field]
        return row[i].strip() if i is not None and i < len(row) else ""

    for row in rows[1:]:
        name = col(row, "name")
        if not name or agency_key(name) in seen:
            continue
        seen.add(agency_key(name))
        members.append(Member(name, col(row, "level"), col(row, "parent")))
    return members

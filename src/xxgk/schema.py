"""The JSON Schema (2020-12) of a report, generated from the format data, and validation with
Chinese messages that name the table, row and column (``表三 一、本年新收… / 自然人：…``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from xxgk.errors import InputError
from xxgk.spec import AMOUNT, COUNT, SIGNED, TEXT, YUAN, Format, available_versions, load_format

MAX_SHOWN = 30

_VALUE_DEFS = {
    COUNT: {"type": ["integer", "null"], "minimum": 0, "description": "件数：不小于 0 的整数；null 表示未填写"},
    SIGNED: {"type": ["integer", "null"], "description": "增减数：整数，可为负数；null 表示未填写"},
    AMOUNT: {"type": ["number", "null"], "minimum": 0, "description": "金额（万元）：不小于 0；null 表示未填写"},
    YUAN: {"type": ["number", "null"], "minimum": 0, "description": "金额（元）：不小于 0；null 表示未填写"},
    TEXT: {"type": ["string", "null"], "description": "文字"},
}


@cache
def report_schema(version: str = "2021") -> dict[str, Any]:
    """The JSON Schema of a report in format ``version``, derived from the format data."""
    fmt = load_format(version)
    tables: dict[str, Any] = {}
    for tkey, table in fmt.tables.items():
        props = {
            c.key.removeprefix(tkey + "."): {"$ref": f"#/$defs/{c.type}", "title": fmt.cell_label(c.key)}
            for c in fmt.table_cells(tkey)
        }
        tables[tkey] = {
            "title": table.caption,
            "type": "object",
            "properties": props,
            "required": list(props),
            "additionalProperties": False,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:xxgk:report:{version}",
        "title": f"政府信息公开工作年度报告（{fmt.source}《{fmt.name}》）",
        "type": "object",
        "required": ["format", "year", "tables"],
        "properties": {
            "format": {"const": version, "title": "格式版本"},
            "year": {"type": "integer", "minimum": fmt.first_year, "maximum": 2100, "title": "报告年度"},
            "agency": {"type": "string", "title": "机关名称"},
            "tables": {
                "type": "object",
                "properties": tables,
                "required": list(tables),
                "additionalProperties": False,
            },
            "facts": {
                "type": "object",
                "properties": {
                    k: {"$ref": f"#/$defs/{f.type}", "title": f.label} for k, f in fmt.facts.items()
                },
                "additionalProperties": False,
            },
            "texts": _text_map(fmt, "正文"),
            "drafts": _text_map(fmt, "上次生成的草稿"),
            "notes": {
                "type": "array",
                "title": "读取时发现的单元格问题",
                "items": {
                    "type": "object",
                    "required": ["key", "problem"],
                    "properties": {
                        "key": {"type": "string"},
                        "problem": {"type": "string"},
                        "raw": {"type": "string"},
                        "fix": {"type": "string"},
                        "address": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            },
            "disabled_rules": {"type": "array", "items": {"type": "string"}, "title": "停用的规则"},
            "rules_off": {
                "type": "array",
                "title": "导出时停用的规则及停用者（file：年报文件；command：命令）",
                "items": {
                    "type": "object",
                    "required": ["rule", "by"],
                    "properties": {"rule": {"type": "string"}, "by": {"enum": ["file", "command"]}},
                    "additionalProperties": False,
                },
            },
            "headings": {"type": ["array", "null"], "items": {"type": "string"}},
            "previous": {"type": ["object", "null"], "title": "上年报告（按其自身格式校验）"},
            "generator": {"type": "string"},
            "$schema": {"type": "string"},
        },
        "additionalProperties": False,
        "$defs": _VALUE_DEFS,
    }


def _text_map(fmt: Format, what: str) -> dict[str, Any]:
    return {
        "type": "object",
        "title": what,
        "properties": {k: {"type": "string", "title": t.label} for k, t in fmt.texts.items()},
        "additionalProperties": False,
    }


def iter_errors(data: Any) -> Iterator[str]:
    """Every problem with ``data`` as a report JSON, each a Chinese sentence with its path."""
    if not isinstance(data, dict):
        yield "年报 JSON 最外层应为一个对象（{…}）"
        return
    version = data.get("format")
    if not isinstance(version, str) or version not in available_versions():
        known = "、".join(available_versions())
        shown = "缺失" if version is None else _show(version)
        yield f"格式版本（format）应为 {known} 之一，实际为 {shown}"
        return
    fmt = load_format(version)
    validator = Draft202012Validator(report_schema(version))
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    yield from _collapse_missing_cells(fmt, errors)
    prev = data.get("previous")
    if isinstance(prev, dict):
        yield from (f"上年报告：{m}" for m in iter_errors(prev))


def validate_report_dict(data: Any) -> None:
    """Raise :class:`InputError` listing every schema problem of ``data`` (like ``validate``)."""
    problems = list(iter_errors(data))
    if problems:
        shown = problems[:MAX_SHOWN]
        if len(problems) > MAX_SHOWN:
            shown.append(f"……另有 {len(problems) - MAX_SHOWN} 处问题未列出")
        raise InputError(
            f"年报 JSON 不符合格式要求，共 {len(problems)} 处问题，请逐项改正后再试：", shown
        )


def _path_label(fmt: Format, path: list[Any]) -> str:
    if not path:
        return "年报"
    head = path[0]
    if head == "tables":
        if len(path) == 1:
            return "表格部分（tables）"
        table = fmt.tables.get(str(path[1]))
        if len(path) == 2 or table is None:
            return table.short if table else f"表格 {path[1]}"
        return fmt.cell_label(f"{path[1]}.{path[2]}")
    if head in ("facts", "texts", "drafts") and len(path) > 1:
        prefix = "草稿 " if head == "drafts" else ""
        return prefix + fmt.cell_label(str(path[1]))
    names = {
        "year": "报告年度（year）",
        "agency": "机关名称（agency）",
        "format": "格式版本（format）",
        "facts": "说明用数据（facts）",
        "texts": "正文（texts）",
        "drafts": "草稿（drafts）",
        "notes": "单元格问题记录（notes）",
        "disabled_rules": "停用的规则（disabled_rules）",
        "rules_off": "导出时停用的规则（rules_off）",
        "previous": "上年报告（previous）",
    }
    return names.get(str(head), str(head)) + "".join(f"[{p}]" for p in path[1:])


def _message(fmt: Format, error: ValidationError) -> str:
    path = list(error.absolute_path)
    where = _path_label(fmt, path)
    v, inst = error.validator, error.instance
    if v == "required":
        missing = _missing_property(error)
        if path == ["tables"] and missing in fmt.tables:
            t = fmt.tables[missing]
            return f"缺少{t.short}（{t.caption}）"
        if path[:1] == ["tables"] and len(path) == 2:
            return f"{where} 缺少单元格“{fmt.cell_label(f'{path[1]}.{missing}')}”（{missing}）"
        return f"{where} 缺少必填项“{_path_label(fmt, [*path, missing])}”"
    if v == "additionalProperties":
        extra = "、".join(sorted(set(inst) - set(error.schema.get("properties", {}))))
        return f"{where} 中有本格式没有的项目：{extra}"
    if v == "type":
        want = error.validator_value
        want = [want] if isinstance(want, str) else list(want)
        if "integer" in want:
            return f"{where}：应为不小于 0 的整数，实际为 {_show(inst)}"
        if "number" in want:
            return f"{where}：应为不小于 0 的数字，实际为 {_show(inst)}"
        if "string" in want:
            return f"{where}：应为文字，实际为 {_show(inst)}"
        if "object" in want:
            return f"{where}：应为对象（{{…}}），实际为 {_show(inst)}"
        if "array" in want:
            return f"{where}：应为列表（[…]），实际为 {_show(inst)}"
    if v == "minimum":
        if path == ["year"]:
            return f"{where}：本格式适用于 {error.validator_value} 年及以后的年度报告，实际为 {_show(inst)}"
        return f"{where}：不能为负数，应不小于 {error.validator_value}，实际为 {_show(inst)}"
    if v == "maximum":
        return f"{where}：应不大于 {error.validator_value}，实际为 {_show(inst)}"
    if v == "const":
        return f"{where}：应为 {_show(error.validator_value)}，实际为 {_show(inst)}"
    return f"{where}：不符合要求（{error.validator}）"


def _missing_property(error: ValidationError) -> str:
    # jsonschema yields one error per missing name, worded "'x' is a required property".
    m = re.match(r"^'(.+)' is a required property", error.message)
    if m:
        return m.group(1)
    return next((r for r in error.validator_value if r not in error.instance), "")


def _collapse_missing_cells(fmt: Format, errors: list[ValidationError]) -> Iterator[str]:
    """One line per table that lacks many cells, instead of one line per cell."""
    missing: dict[str, list[str]] = {}
    rest = []
    for e in errors:
        path = list(e.absolute_path)
        if e.validator == "required" and path[:1] == ["tables"] and len(path) == 2:
            missing.setdefault(str(path[1]), []).append(_missing_property(e))
        else:
            rest.append(e)
    for tkey, names in missing.items():
        if len(names) > 3:
            table = fmt.tables[tkey]
            first = fmt.cell_label(f"{tkey}.{names[0]}")
            yield f"{table.short} 缺少 {len(names)} 个单元格（如“{first}”）；应包含全部 {len(fmt.table_cells(tkey))} 个单元格"
        else:
            yield from (f"{fmt.tables[tkey].short} 缺少单元格“{fmt.cell_label(f'{tkey}.{n}')}”（{n}）" for n in names)
    yield from (_message(fmt, e) for e in rest)


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    text = json.dumps(value, ensure_ascii=False, default=lambda o: str(o) if isinstance(o, Decimal) else repr(o))
    return text if len(text) <= 60 else text[:57] + "…"

"""Fuzz (issue 10): mutated workbooks, JSON, web pages and Word documents — byte flips,
truncation, zip entries dropped or replaced, XML edits — through the real CLI entry point.

Whatever the input: exit 0, 1 or 2 (never 3), no traceback, nothing written outside the output
folder, inputs unchanged. In-process ``xxgk.cli.main`` for speed, plus a few real subprocesses.
Bounded and derandomised so the suite stays fast and repeatable; ``XXGK_FUZZ_EXAMPLES=500``
runs a longer, random search on demand.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_run import tree
from xxgk.cli import main
from xxgk.examples import load_example
from xxgk.export import export
from xxgk.report import dump_json
from xxgk.workbook import write_workbook

DEEP = int(os.environ.get("XXGK_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=DEEP or 25, deadline=None, derandomize=not DEEP, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Things attackers and broken tools put into files.
HOSTILE = [
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', b"&a;", b"&#0;", b"\x00", b"\x01", b"\xed\xa0\x80",
    b"1e400", b"NaN", b"Infinity", b"-1", b"9" * 400, b"<v>abc</v>", b"=cmd|' /C calc'!A0",
    "\u202e".encode(), b"<table><tr><td rowspan=200 colspan=200>1</td></tr></table>",
    b"<div>" * 300, b"[" * 3000, b"\\ud800", b'"\\u0000"', b"</w:body>", b"<w:body>",
    "一、总体情况".encode(), b"\xff\xfe", b"<?xml version='1.0' encoding='gbk'?>",
]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("seeds")
    report = load_example()
    out = {"json": dump_json(report, folder / "a.json").read_bytes(),
           "xlsx": write_workbook(folder / "a.xlsx", report).read_bytes()}
    for path in export(report, "docx,html", folder / "pub"):
        out[path.suffix.lstrip(".")] = path.read_bytes()
    return out


# ------------------------------------------------------------------ mutations
@st.composite
def edit_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """One or a few edits of a byte string: flip, truncate, delete, duplicate, insert."""
    for _ in range(draw(st.integers(1, 3))):
        n = len(data)
        at = draw(st.integers(0, max(n - 1, 0)))
        kind = draw(st.sampled_from(["flip", "truncate", "delete", "duplicate", "insert"]))
        if kind == "flip" and n:
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif kind == "duplicate":
            size = draw(st.integers(1, 256))
            data = data[:at + size] + data[at:at + size] * draw(st.integers(1, 4)) + data[at + size:]
        else:
            data = data[:at] + draw(st.sampled_from(HOSTILE)) + data[at:]
    return data


@st.composite
def mutate(draw: st.DrawFn, kind: str, seed: bytes) -> bytes:
    how = draw(st.sampled_from(["bytes", "structure", "structure"]))
    if how == "bytes":
        return draw(edit_bytes(seed))
    if kind == "json":
        return draw(mutate_json(seed))
    if kind == "html":
        return draw(mutate_markup(seed))
    return draw(mutate_zip(seed))


# Values a report field may be given by a hostile or broken writer.
HOSTILE_VALUES = [float("nan"), float("inf"), -float("inf"), 10**400, -1, 1.5, 1e300, True, None, [], {},
                  "", "\x00保定\x01", "问题\ud800改进", "=cmd|' /C calc'!A0", "保定\u202etxt.exe", "x" * 100_000,
                  "很长的机关名称" * 80, [[[[[[[[[[[[]]]]]]]]]]]]]


@st.composite
def mutate_json(draw: st.DrawFn, seed: bytes) -> bytes:
    """A report JSON with a few fields (any depth) replaced or removed, or nested very deep."""
    data = json.loads(seed)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.integers(0, 5)) == 0 and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(st.sampled_from(HOSTILE_VALUES))
    if draw(st.integers(0, 9)) == 0:
        depth = draw(st.integers(100, 5000))
        data["previous"] = json.loads("[" * min(depth, 900) + "]" * min(depth, 900))
    return json.dumps(data, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))


XML_EDITS = ["dtd", "number", "text", "drop-element", "root"]


@st.composite
def edit_xml(draw: st.DrawFn, xml: bytes) -> bytes:
    """An edit an attacker or a broken tool makes to one XML part."""
    text = xml.decode("utf-8", "replace")
    kind = draw(st.sampled_from(XML_EDITS))
    if kind == "dtd":
        return ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>' + text.split("?>", 1)[-1]).encode()
    if kind == "number":
        found = list(re.finditer(r"<v>[^<]*</v>", text))
        if found:
            m = draw(st.sampled_from(found))
            value = draw(st.sampled_from(["1e400", "-1e400", "nan", "abc", "", "1" * 400, "-3", "2.5"]))
            return (text[:m.start()] + f"<v>{value}</v>" + text[m.end():]).encode()
    if kind == "text":
        found = list(re.finditer(r"<(\w+:)?t(?: [^>]*)?>[^<]*</(\w+:)?t>", text))
        if found:
            m = draw(st.sampled_from(found))
            inner = draw(st.sampled_from(["&#1;", "&a;", "&#xD800;", "\u202e", "=1+1", "&amp;" * 100, "一、总体情况"]))
            start = text.index(">", m.start()) + 1
            return (text[:start] + inner + text[text.index("<", start):]).encode()
    if kind == "drop-element":
        tags = sorted(set(re.findall(r"<((?:\w+:)?\w+)[ >]", text)))
        if tags:
            tag = draw(st.sampled_from(tags))
            return re.sub(rf"<{tag}[ >].*?</{tag}>", "", text, count=1, flags=re.S).encode()
    root = re.search(r"<((?:\w+:)?\w+)[ >]", text.split("?>", 1)[-1])
    if root:
        return text.replace(root.group(1), root.group(1) + "x").encode()
    return xml


@st.composite
def mutate_markup(draw: st.DrawFn, seed: bytes) -> bytes:
    """A web page nested deep, with spans over the table, or hostile text."""
    text = seed.decode("utf-8")
    kind = draw(st.sampled_from(["deep", "span", "text", "xml"]))
    if kind == "deep":
        n = draw(st.integers(200, 3000))
        return text.replace("<body>", "<body>" + "<div>" * n, 1).replace("</body>", "</div>" * n + "</body>").encode()
    if kind == "span":
        n = draw(st.integers(0, text.count("<td") - 1))
        head, sep, tail = text.partition("<td")
        for _ in range(n):
            more, sep2, tail = tail.partition("<td")
            head += sep + more
            sep = sep2
        attrs = draw(st.sampled_from([' rowspan="200" colspan="200"', ' rowspan="-5"', ' colspan="x"',
                                      ' rowspan="99999999999"']))
        return (head + sep + attrs + tail).encode()
    if kind == "text":
        return text.replace("一、总体情况", draw(st.sampled_from(["一、总体\x00情况", "一、总体情况\u202e", "&#0;"])), 1).encode()
    return draw(edit_xml(seed))


@st.composite
def mutate_zip(draw: st.DrawFn, seed: bytes) -> bytes:
    """Entries dropped, emptied, edited as XML text, or stored under another name."""
    with zipfile.ZipFile(io.BytesIO(seed)) as z:
        entries = [(i.filename, z.read(i)) for i in z.infolist()]
    for _ in range(draw(st.integers(1, 3))):
        # The main part most often: that is where the content (and a reader's trouble) is.
        main = [n for n, (name, _) in enumerate(entries) if name in ("word/document.xml", "xl/workbook.xml")
                or name.startswith("xl/worksheets/")]
        i = draw(st.sampled_from(main)) if main and draw(st.booleans()) else draw(st.integers(0, len(entries) - 1))
        name, data = entries[i]
        kind = draw(st.sampled_from(["drop", "empty", "edit", "edit", "edit", "rename"]))
        if kind == "drop":
            del entries[i]
        elif kind == "empty":
            entries[i] = (name, b"")
        elif kind == "rename":
            entries[i] = (name + ".bak", data)
        elif name.endswith((".xml", ".rels")) and draw(st.booleans()):
            entries[i] = (name, draw(edit_xml(data)))
        else:
            entries[i] = (name, draw(edit_bytes(data)))
        if not entries:
            break
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


COMMANDS = {
    "json": ["check", "export", "new", "import"],
    "xlsx": ["check", "export", "new"],
    "html": ["import", "audit", "check", "export"],
    "docx": ["import", "audit", "new"],
}


def _argv(command: str, src: Path, out: Path) -> list[str]:
    return {
        "check": ["check", str(src)],
        "audit": ["audit", str(src), str(src)],  # twice: the batch path
        "import": ["import", str(src), "-o", str(out / "r.json")],
        "new": ["new", str(out / "n.xlsx"), "--from", str(src)],
        "export": ["export", str(src), "--force", "-o", str(out)],
    }[command]


def _run_one(kind: str, data: bytes, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="xxgk-fuzz-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        (work / "out").mkdir()
        (work / "logs").mkdir()
        src = work / "in" / f"年报.{kind}"
        src.write_bytes(data)
        before = tree(work)
        os.environ["XXGK_LOG_DIR"] = str(work / "logs")
        code = main(_argv(command, src, work / "out"))
        out, err = capsys.readouterr()
        after = tree(work)
        log = work / "logs" / "xxgk.log"
        detail = log.read_text(encoding="utf-8")[-3000:] if log.exists() else err[-2000:]
        assert code in (0, 1, 2), f"{command} {kind}: exit {code}\n{detail}"
        assert "Traceback" not in out + err, err[-2000:]
        changed = {k for k in before if after.get(k) != before[k]}
        assert not changed, f"inputs changed: {changed}"
        new = [k for k in after if k not in before]
        assert all(k.startswith("out" + os.sep) for k in new), f"written outside the output folder: {new}"


@pytest.mark.parametrize("kind", ["json", "xlsx", "html", "docx"])
def test_fuzz_cli(kind: str, seeds: dict[str, bytes], capsys: pytest.CaptureFixture[str],
                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", os.environ.get("XXGK_LOG_DIR", ""))  # restored afterwards

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        mutated = data.draw(mutate(kind, seeds[kind]), label="file")
        command = data.draw(st.sampled_from(COMMANDS[kind]), label="command")
        _run_one(kind, mutated, command, capsys)

    run()


def test_fuzz_real_processes(seeds: dict[str, bytes], tmp_path: Path) -> None:
    """A few mutated files through the installed entry point, as a user runs it."""
    cases = [
        ("json", seeds["json"].replace(b'"year": 2024', b'"year": NaN'), "check"),
        ("xlsx", seeds["xlsx"][: len(seeds["xlsx"]) // 2], "export"),
        ("html", seeds["html"].replace(b"<body", b"<body><div>" * 400, 1), "audit"),
        ("docx", seeds["docx"][:-22], "import"),
    ]
    for kind, data, command in cases:
        work = tmp_path / kind
        (work / "in").mkdir(parents=True)
        (work / "out").mkdir()
        src = work / "in" / f"年报.{kind}"
        src.write_bytes(data)
        before = tree(work)
        proc = subprocess.run([sys.executable, "-m", "xxgk", *_argv(command, src, work / "out")],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "XXGK_LOG_DIR": str(tmp_path / "logs")})
        assert proc.returncode in (0, 1, 2), proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        after = tree(work)
        assert {k: after[k] for k in before} == before
        assert all(k.startswith("out" + os.sep) for k in after if k not in before)

"""``xxgk serve`` on 127.0.0.1: every endpoint, the security checks, and the same results as the
xlwings buttons on the same workbook (those run through xlwings' own remote engine, as in
tests/test_addin_buttons.py)."""

from __future__ import annotations

import http.client
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_addin_buttons import BOOK_NAME, Excel, broken, clean, remote_engine  # noqa: F401 (fixture)
from wps_support import book_json, built, dump_workbook
from xxgk import layout
from xxgk.addin.bookio import TEXT_PREFIX
from xxgk.examples import load_example
from xxgk.serve import server, state, wire


@pytest.fixture()
def service(tmp_path: Path) -> Iterator[server.Service]:
    svc = server.start_in_thread(state_file=tmp_path / "state" / "serve.json")
    yield svc
    svc.stop()


def request(svc: server.Service, method: str, path: str, body: Any = None, *, token: str | None = "ok",
            host: str | None = None, origin: str | None = None, raw: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], dict[str, Any]]:
    conn = http.client.HTTPConnection("127.0.0.1", svc.port, timeout=60)
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode("utf-8"))
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", f"127.0.0.1:{svc.port}" if host is None else host)
    if origin is not None:
        conn.putheader("Origin", origin)
    if token is not None:
        conn.putheader(server.TOKEN_HEADER, svc.settings.token if token == "ok" else token)
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    if data is not None and "Content-Length" not in (headers or {}):
        conn.putheader("Content-Length", str(len(data)))
    conn.endheaders()
    if data is not None:
        conn.send(data)
    resp = conn.getresponse()
    text = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), (json.loads(text) if text else {})


def book(report=None, fullname: str = "") -> dict[str, Any]:
    return book_json(dump_workbook(built(report), BOOK_NAME, fullname))


def cells(writes: list[dict[str, Any]]) -> dict[tuple[str, int, int], Any]:
    """The service's writes cell by cell, as main.js puts them into the sheet (text prefixed)."""
    out = {}
    for w in writes:
        for i, row in enumerate(w["values"]):
            for j, v in enumerate(row):
                if w["text"] and isinstance(v, str) and v:
                    v = TEXT_PREFIX + v
                out[(w["sheet"], w["row"] + i, w["column"] + j)] = v
    return out


def xl_cells(excel: Excel) -> dict[tuple[str, int, int], Any]:
    """The xlwings button's writes; its remote engine records a blank as ""."""
    return {k: None if v == "" else v for k, v in excel.writes(raw=True).items()}


# ------------------------------------------------------------------------- security
def test_ping_needs_the_token(service: server.Service) -> None:
    status, _, body = request(service, "GET", "/ping")
    assert status == 200 and body["service"] == "xxgk"
    for token in (None, "", "x" * 43, service.settings.token[:-1]):
        status, _, body = request(service, "GET", "/ping", token=token)
        assert status == 401 and "口令" in body["message"]


def test_state_file_is_private_and_names_port_and_token(tmp_path: Path) -> None:
    path = tmp_path / "s" / "serve.json"
    svc = server.start_in_thread(state_file=path)
    try:
        data = json.loads(path.read_text("utf-8"))
        assert data["port"] == svc.port and data["token"] == svc.settings.token and data["pid"] == os.getpid()
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        other = server.start_in_thread(state_file=tmp_path / "t.json")
        assert other.settings.token != svc.settings.token  # a new secret per start
        other.stop()
    finally:
        svc.stop()
    assert not path.exists()


def test_host_must_be_this_service(service: server.Service) -> None:
    for host in ("evil.example", f"evil.example:{service.port}", f"127.0.0.1:{service.port + 1}",
                 f"127.0.0.1.evil.example:{service.port}", ""):
        status, _, body = request(service, "GET", "/ping", host=host)
        assert status == 403 and "主机名" in body["message"], host
    assert request(service, "GET", "/ping", host=f"localhost:{service.port}")[0] == 200


def test_web_origins_are_refused_and_the_addin_origin_allowed(service: server.Service) -> None:
    for origin in ("https://evil.example", "http://127.0.0.1:8080", "http://localhost", "file://"):
        status, headers, body = request(service, "POST", "/run/validate", {"book": book()}, origin=origin)
        assert status == 403 and "网页不能调用" in body["message"], origin
        assert "Access-Control-Allow-Origin" not in headers
        status, headers, _ = request(service, "OPTIONS", "/run/validate", token=None, origin=origin)
        assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = request(service, "OPTIONS", "/run/validate", token=None, origin="null")
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "null"
    assert server.TOKEN_HEADER in headers["Access-Control-Allow-Headers"]
    status, headers, body = request(service, "GET", "/ping", origin="null")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "null"


def test_an_extra_origin_can_be_allowed(tmp_path: Path) -> None:
    svc = server.start_in_thread(origins=["null", "http://127.0.0.1:3889"])
    try:
        assert request(svc, "GET", "/ping", origin="http://127.0.0.1:3889")[0] == 200
        assert request(svc, "GET", "/ping", origin="http://127.0.0.1:3890")[0] == 403
    finally:
        svc.stop()


def test_request_size_is_bounded(service: server.Service) -> None:
    service.settings.max_body = 1000
    status, _, body = request(service, "POST", "/run/validate", raw=b"{" + b" " * 2000 + b"}")
    assert status == 413 and "过大" in body["message"]
    status, _, body = request(service, "POST", "/run/validate", raw=b"{}", headers={"Content-Length": "x"})
    assert status == 411
    service.settings.max_body = wire.MAX_BODY
    assert request(service, "GET", "/ping")[0] == 200  # the refused body did not poison the service


def test_malformed_snapshots_get_a_chinese_refusal(service: server.Service) -> None:
    good = book()
    too_wide = {**good, "sheets": [{"name": "表一", "values": [[0] * (wire.MAX_COLUMNS + 1)]}]}
    too_long = {**good, "sheets": [{"name": "表一", "values": [["字" * (wire.MAX_TEXT + 1)]]}]}
    wrong_type = {**good, "sheets": [{"name": "表一", "values": [[{"a": 1}]]}]}
    for bad in (None, [], {"name": 1}, too_wide, too_long, wrong_type):
        status, _, body = request(service, "POST", "/run/validate", {"book": bad})
        assert status == 400 and "xxgk addin install --wps" in body["message"], bad
    status, _, body = request(service, "POST", "/run/validate", raw="不是 JSON".encode())
    assert status == 400 and "JSON" in body["message"]
    status, _, body = request(service, "POST", "/run/validate", {"book": {"name": "x.xlsx", "sheets": []}})
    assert status == 200 and not body["ok"] and "不是本工具生成的填报工作簿" in body["message"]


def test_snapshot_names_are_the_books_one_cell_names() -> None:
    snap = wire.snapshot_from_json({"name": "a.xlsx", "sheets": [], "names": {
        "xx_t3__new__natural": "='表三'!$D$8", "表三!local": "='表三'!$A$1", "xx_range": "='表三'!$A$1:$B$2"}})
    assert snap.names == {"xx_t3__new__natural": "表三!D8"}


def test_no_endpoint_reads_a_path_or_runs_anything(service: server.Service) -> None:
    for path in ("/run/import_previous", "/run/../etc/passwd", "/run/validate?x=1", "/", "/run/", "/file"):
        assert request(service, "POST", path, {"book": book(), "path": "/etc/passwd"})[0] == 404, path
    assert request(service, "GET", "/run/validate")[0] == 404


# ------------------------------------------------------------------------- the same as xlwings
def test_validate_is_the_xlwings_buttons_validate(service: server.Service) -> None:
    excel = Excel(broken())
    expected = excel.run("validate")
    status, _, body = request(service, "POST", "/run/validate", {"book": book(broken())})
    assert status == 200 and body["ok"]
    assert body["message"] == expected.message == excel.alerts()[0][0]
    assert cells(body["writes"]) == xl_cells(excel)
    assert body["activate"] == layout.RESULTS
    ids = [f["id"] for f in body["findings"]]
    assert ids == [f.id for f in expected.findings] and any(i.startswith("T3-IDENTITY") for i in ids)
    a = str(excel.at("t3.new.natural"))
    assert a in body["flagged"] and all(layout.INPUT_SHEETS.__contains__(x.split("!")[0]) for x in body["flagged"])
    assert any(a in f["addresses"] for f in body["findings"] if f["severity_label"] == "错误")


def test_narrative_is_the_xlwings_buttons_narrative_and_keeps_edited_text(service: server.Service) -> None:
    report = load_example()
    report.texts["s4.note"] = ""
    report.texts["s1.proactive"] = "本机关今年主动公开工作由办公室统筹（人工撰写）。"
    excel = Excel(report)
    expected = excel.run("narrative")
    status, _, body = request(service, "POST", "/run/narrative", {"book": book(report)})
    assert status == 200 and body["ok"] and body["message"] == expected.message
    written = cells(body["writes"])
    assert written == xl_cells(excel)
    edited = excel.at("s1.proactive")
    assert (edited.sheet, edited.row, edited.column) not in written and "已保留原文" in body["message"]


def test_clear_flags_and_help(service: server.Service) -> None:
    excel = Excel(load_example())
    expected = excel.run("clear_flags")
    status, _, body = request(service, "POST", "/run/clear_flags", {"book": book(load_example())})
    assert body["message"] == expected.message and cells(body["writes"]) == xl_cells(excel)
    status, _, body = request(service, "POST", "/run/help", {"book": book()})
    assert status == 200 and "生成说明" in body["message"] and body["writes"] == []


# ------------------------------------------------------------------------- export
def saved(tmp_path: Path, report=None, name: str = BOOK_NAME) -> dict[str, Any]:
    folder = tmp_path / "二〇二四 年报"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(b"PK")  # the workbook is saved there (the service only checks it exists)
    return book(report if report is not None else clean(), fullname=str(path))


def test_export_writes_next_to_the_workbook_and_never_over_a_file(service: server.Service, tmp_path: Path) -> None:
    snap = saved(tmp_path)
    folder = Path(snap["fullname"]).parent
    status, _, body = request(service, "POST", "/run/export_all", {"book": snap})
    assert status == 200 and body["ok"], body["message"]
    first = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != BOOK_NAME}
    assert sorted(Path(n).suffix for n in first) == [".docx", ".html", ".json"]
    assert all(Path(f).parent == folder for f in body["files"]) and str(folder) in body["message"]
    status, _, body = request(service, "POST", "/run/export_json", {"book": snap})
    assert body["ok"] and Path(body["files"][0]).name not in first
    assert {n: (folder / n).read_bytes() for n in first} == first  # the first files untouched
    assert (folder / BOOK_NAME).read_bytes() == b"PK"


def test_export_goes_only_to_the_workbooks_folder(service: server.Service, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    snap = saved(tmp_path)
    _status, _, body = request(service, "POST", "/run/export_json",
                              {"book": snap, "folder": str(elsewhere), "outdir": str(elsewhere)})
    assert body["ok"] and list(elsewhere.iterdir()) == []
    for fullname in ("", BOOK_NAME, str(tmp_path / "missing" / BOOK_NAME), "https://x.sharepoint.com/a.xlsx",
                     str(elsewhere)):
        _status, _, body = request(service, "POST", "/run/export_json", {"book": {**snap, "fullname": fullname}})
        assert not body["ok"] and "另存为" in body["message"], fullname
    assert list(elsewhere.iterdir()) == []


def test_export_refuses_on_errors_unless_forced(service: server.Service, tmp_path: Path) -> None:
    snap = saved(tmp_path, broken())
    folder = Path(snap["fullname"]).parent
    _status, _, body = request(service, "POST", "/run/export_docx", {"book": snap})
    assert not body["ok"] and "未导出" in body["message"] and "错误" in body["message"]
    assert [p.name for p in folder.iterdir()] == [BOOK_NAME]
    _status, _, body = request(service, "POST", "/run/export_docx", {"book": snap, "force": True})
    assert body["ok"] and len(body["files"]) == 1


# ------------------------------------------------------------------------- the command
def test_xxgk_serve_starts_writes_its_state_and_stops_when_idle(tmp_path: Path) -> None:
    path = tmp_path / "serve.json"
    proc = subprocess.Popen([sys.executable, "-m", "xxgk", "serve", "--idle", "1.5", "--state-file", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        line = proc.stdout.readline()
        assert "xxgk 服务已启动：http://127.0.0.1:" in line
        data = state.read_state(path)
        conn = http.client.HTTPConnection("127.0.0.1", data["port"], timeout=10)
        conn.request("GET", "/ping", headers={server.TOKEN_HEADER: data["token"]})
        assert conn.getresponse().status == 200
        conn.close()
        assert proc.wait(timeout=60) == 0  # idle: it stops by itself
        assert not path.exists() and "已停止" in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_ctrl_c_stops_xxgk_serve_cleanly(tmp_path: Path) -> None:
    import signal

    path = tmp_path / "serve.json"
    proc = subprocess.Popen([sys.executable, "-m", "xxgk", "serve", "--state-file", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert "已启动" in proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
        assert "已停止" in proc.stdout.read() and not path.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_taken_port_says_so_in_chinese(service: server.Service) -> None:
    from xxgk.errors import InputError

    with pytest.raises(InputError, match="端口可能已被其他程序占用"):
        server.create(service.port)


def test_idle_service_stops(tmp_path: Path) -> None:
    import threading

    svc = server.create(idle=0.3, state_file=tmp_path / "s.json")
    t = threading.Thread(target=server.serve_forever, args=(svc,), daemon=True)
    t.start()
    t.join(timeout=30)
    assert not t.is_alive() and not (tmp_path / "s.json").exists()

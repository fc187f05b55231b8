"""The HTTP side of ``xxgk serve``: 127.0.0.1 only, one token per start, Host and Origin checked.

Any web page the user visits can make the browser send requests to 127.0.0.1, so every request
must pass, in this order:

1. **Host** is ``127.0.0.1:<port>`` or ``localhost:<port>`` (a DNS-rebinding page sends its own
   host name);
2. **Origin**, when sent, is one the WPS add-in pages have (``null``: the offline add-in's
   pages are ``file://``; more with ``--allow-origin``). Web origins (``http(s)://…``) are
   refused, and CORS pre-flights are answered for allowed origins only;
3. **X-Xxgk-Token** equals this start's token (read from the user-only state file, never
   served). A custom header also forces a browser to pre-flight, which step 2 refuses;
4. the body is JSON of at most :data:`~xxgk.serve.wire.MAX_BODY` bytes with a Content-Length.

No endpoint takes a path or runs a command: export writes only into the folder of the workbook
it was sent (which must exist there), under fresh names (xxgk.export → xxgk.fileio).
"""

from __future__ import annotations

import hmac
import json
import os
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from xxgk.errors import InputError
from xxgk.serve import state, wire

HOST = "127.0.0.1"
DEFAULT_IDLE = 15 * 60  # seconds without a request before the service stops
DEFAULT_ORIGINS = ("null",)
TOKEN_HEADER = "X-Xxgk-Token"
_HOST_RE = re.compile(r"^(127\.0\.0\.1|localhost):(\d+)$", re.IGNORECASE)


@dataclass
class Settings:
    token: str
    origins: frozenset[str] = frozenset(DEFAULT_ORIGINS)
    idle: float = DEFAULT_IDLE
    max_body: int = wire.MAX_BODY
    state_file: Path | None = None


@dataclass
class Service:
    """A running service (in a thread for tests and the bench; ``xxgk serve`` runs it in front)."""

    httpd: ThreadingHTTPServer
    settings: Settings
    thread: threading.Thread | None = None
    last_seen: float = field(default_factory=time.monotonic)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.settings.state_file:
            state.remove_state(self.settings.state_file, self.settings.token)


def create(port: int = 0, *, token: str | None = None, origins: Iterable[str] = DEFAULT_ORIGINS,
           idle: float = DEFAULT_IDLE, state_file: Path | None = None) -> Service:
    """Bind 127.0.0.1:``port`` (0: any free port) and write the state file; nothing served yet."""
    settings = Settings(token or state.new_token(), frozenset(origins), idle, wire.MAX_BODY, state_file)
    try:
        httpd = _Server((HOST, port), _Handler)
    except OSError as exc:
        raise InputError(
            f"无法在 {HOST}:{port} 上启动服务（{exc.strerror}）：该端口可能已被其他程序占用，"
            "或被安全软件拦截。请不指定端口（xxgk serve）重试，或把 python 加入安全软件的信任区。"
        ) from None
    service = Service(httpd, settings)
    httpd.service = service
    if state_file:
        from xxgk import __version__

        state.write_state(state_file, {"port": service.port, "token": settings.token,
                                       "pid": os.getpid(), "version": __version__})
    return service


def serve_forever(service: Service) -> None:
    """Serve until idle for ``settings.idle`` seconds (0: never), then stop and clean up."""
    try:
        if service.settings.idle:
            threading.Thread(target=_watch_idle, args=(service,), daemon=True).start()
        service.httpd.serve_forever(poll_interval=0.5)
    finally:
        service.httpd.server_close()
        if service.settings.state_file:
            state.remove_state(service.settings.state_file, service.settings.token)


def start_in_thread(**kwargs: Any) -> Service:
    service = create(**kwargs)
    service.thread = threading.Thread(target=service.httpd.serve_forever, daemon=True)
    service.thread.start()
    return service


def _watch_idle(service: Service) -> None:
    while True:
        left = service.settings.idle - (time.monotonic() - service.last_seen)
        if left <= 0:
            service.httpd.shutdown()
            return
        time.sleep(min(left, 5.0))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    service: Service


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "xxgk"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every reply.
    disable_nagle_algorithm = True
    sys_version = ""

    # ------------------------------------------------------------------ entry points
    def do_GET(self) -> None:
        self._handle(self._get)

    def do_POST(self) -> None:
        self._handle(self._post)

    def do_OPTIONS(self) -> None:
        """A CORS pre-flight: answered (with no body) only for an allowed Origin and Host."""
        try:
            self._check_host()
            origin = self._check_origin(required=True)
        except _Refused as exc:
            self._reply(exc.status, {"ok": False, "message": str(exc)}, origin=None)
            return
        self.send_response(204)
        self._cors(origin)
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", f"Content-Type, {TOKEN_HEADER}")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # nothing per request on the console (it may be a hidden pythonw)

    # ------------------------------------------------------------------ routes
    def _get(self) -> dict[str, Any]:
        from xxgk import __version__

        if self.path != "/ping":
            raise _Refused(404, f"没有这个地址：{self.path}")
        return {"ok": True, "service": "xxgk", "version": __version__}

    def _post(self) -> dict[str, Any]:
        from xxgk.addin.buttons import PLANS, plan

        m = re.fullmatch(r"/run/([a-z_]+)", self.path)
        if not m or m.group(1) not in PLANS:
            raise _Refused(404, f"没有这个地址：{self.path}")
        body = self._json_body()
        if not isinstance(body, dict):
            raise InputError("请求内容应为 JSON 对象。")
        snap = wire.snapshot_from_json(body.get("book"))
        options: dict[str, Any] = {}
        if m.group(1).startswith("export"):
            options = {"force": body.get("force") is True, "folder": _workbook_folder(snap.fullname)}
        return wire.outcome_to_json(plan(m.group(1), snap, **options))

    # ------------------------------------------------------------------ checks
    def _handle(self, route: Any) -> None:
        self.server.service.last_seen = time.monotonic()
        origin = None
        try:
            self._check_host()
            origin = self._check_origin(required=False)
            self._check_token()
            result = route()
            status = 200
        except _Refused as exc:
            result, status = {"ok": False, "message": str(exc)}, exc.status
        except InputError as exc:
            result, status = {"ok": False, "message": str(exc)}, 400
        except Exception:
            from xxgk.logs import log_exception, log_note

            where = log_note(log_exception(f"xxgk serve {self.command} {self.path}"))
            result = {"ok": False, "message": f"服务内部错误，操作未完成，工作簿未作改动。{where}"}
            status = 500
        self._reply(status, result, origin)

    def _check_host(self) -> None:
        m = _HOST_RE.match(self.headers.get("Host", ""))
        if not m or int(m.group(2)) != self.server.service.port:
            raise _Refused(403, "拒绝访问：请求的主机名不是本机服务地址。")

    def _check_origin(self, *, required: bool) -> str | None:
        origin = self.headers.get("Origin")
        if origin is None and not required:
            return None  # not a browser page (the add-in's own requests may carry none)
        if origin not in self.server.service.settings.origins:
            raise _Refused(403, f"拒绝访问：来源 {origin} 不是 WPS 加载项。网页不能调用本服务。")
        return origin

    def _check_token(self) -> None:
        sent = self.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(sent.encode("utf-8", "replace"), self.server.service.settings.token.encode()):
            raise _Refused(401, "拒绝访问：口令不对或已过期（服务重启后会换新口令）。请再点一次按钮。")

    def _json_body(self) -> Any:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True  # a body of unknown length cannot be skipped
            raise _Refused(411, "请求缺少内容长度。")
        size = int(length)
        if size > self.server.service.settings.max_body:
            self.close_connection = True  # the unread body must not be taken as the next request
            raise _Refused(413, f"工作簿数据过大（{size} 字节，上限 {self.server.service.settings.max_body}）。"
                                "请确认打开的是 xxgk new 生成的填报工作簿。")
        raw = self.rfile.read(size)
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise InputError("请求内容不是 UTF-8 编码的 JSON。") from None

    # ------------------------------------------------------------------ replies
    def _cors(self, origin: str | None) -> None:
        if origin is not None:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")

    def _reply(self, status: int, result: dict[str, Any], origin: str | None) -> None:
        data = json.dumps(result, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self._cors(origin)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


def _workbook_folder(fullname: str) -> Path:
    """The one folder export may write to: where the workbook it was sent is saved. Anything else
    (never saved, a web location, a name that is not a file there) is refused, never guessed."""
    path = Path(fullname) if fullname else None
    if path is None or "://" in fullname or not path.is_absolute() or not path.is_file():
        from xxgk.addin.buttons import NOT_SAVED

        raise InputError(NOT_SAVED)
    return path.parent

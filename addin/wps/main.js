// 信息公开年报助手 · WPS 加载项（WPS 表格，Windows 与信创 Linux）。
//
// The WPS twin of the Excel add-in: every ribbon button reads the workbook in bulk, posts the
// snapshot to `xxgk serve` on 127.0.0.1 (which runs the same Python functions as the Excel
// buttons), and writes back in bulk what comes back: only to unlocked cells and the program
// sheets, unprotecting and re-protecting each sheet with the workbook's password.
//
// Plain synchronous ES5 on purpose: WPS calls ribbon callbacks synchronously (one WPS release
// hid ribbons whose callbacks were `async`), and the add-in has no build step of its own.
// `xxgk addin build --wps` prepends `var XXGK_CONFIG = {…}` (labels, tags, sheet names, the
// Python to start, the state file): nothing here repeats a label, tag or sheet name.
//
// Everything WPS-specific is in `host` below, so the tests run this file unchanged in Node
// against a fake ET Application (tests/js/).

var XXGK = typeof XXGK_CONFIG !== "undefined" ? XXGK_CONFIG : {};

var host = {
  app: function () {
    if (typeof Application !== "undefined" && Application) return Application;
    return wps.EtApplication();
  },
  exists: function (path) { return wps.FileSystem.Exists(path); },
  readFile: function (path) { return wps.FileSystem.ReadFile(path); },
  homePath: function () { return wps.Env.GetHomePath(); },
  shell: function (program, args) { return wps.OAAssist.ShellExecute(program, args); },
  xhr: function () { return new XMLHttpRequest(); },
  alert: function (message) { alert(message); },
  sleep: function (ms) {
    // Ribbon callbacks are synchronous: a short busy wait while the service starts.
    var end = Date.now() + ms;
    while (Date.now() < end) { /* wait */ }
  }
};

var TITLE = "信息公开年报助手";
var TOKEN_HEADER = "X-Xxgk-Token";

// ------------------------------------------------------------------------ ribbon callbacks
function OnAddinLoad(ribbonUI) {
  XXGK.ribbonUI = ribbonUI;
  return true;
}

function OnAction(control) {
  var tag = (control && control.Tag) || (XXGK.tags || {})[control && control.Id] || "";
  try {
    runButton(tag);
  } catch (e) {
    say("出现内部错误，操作未完成：" + (e && e.message ? e.message : e) +
      "\n请保存工作簿后关闭 WPS 重新打开再试；仍不行请把这段文字发给维护人员。");
  }
  return true;
}

// ------------------------------------------------------------------------ one click
function runButton(tag) {
  if (!tag) { say("未知的功能区按钮。请重新安装加载项：xxgk addin install --wps。"); return; }
  if (tag === "import_previous") {
    say("WPS 中暂不能用按钮导入上年数据。请在命令提示符（或终端）中运行：\n" +
      "xxgk new 新工作簿.xlsx --from 本工作簿.xlsx --previous 上年文件\n" +
      "生成带上年数据的新工作簿；或在“上年结转”各格直接填写上年“结转下年度继续办理”的数字。");
    return;
  }
  var app = host.app();
  var wb = app ? app.ActiveWorkbook : null;
  if (!wb && tag !== "help") { say("没有找到要处理的工作簿。请先打开本单位的年报工作簿，再点按钮。"); return; }
  var conn = connect();
  if (!conn.ok) { say(conn.message); return; }
  // 帮助 needs no workbook (as in Excel); every other button works on the one in front.
  var book = wb ? readBook(wb) : { name: "", fullname: "", sheets: [], names: {} };
  var res = call(conn, "POST", "/run/" + tag, { book: book, force: false });
  if (!res.body || typeof res.body.message !== "string") {
    say("年报助手服务没有回应（状态 " + res.status + "），操作未完成，工作簿未作改动。请再点一次；仍不行请关闭 WPS 后重试。");
    return;
  }
  var out = res.body;
  if (out.ok && out.writes && out.writes.length) {
    var done = applyWrites(wb, out.writes, out.password);
    if (done.refused.length) {
      say("以下单元格受保护（已锁定），加载项没有写入：\n" + done.refused.join("\n") +
        "\n工作簿可能被改动过。请用 xxgk new 重新生成工作簿。");
    }
  }
  if (out.ok && out.activate) {
    try { sheetByName(wb, out.activate).Activate(); } catch (e) { /* a courtesy only */ }
  }
  if (out.message) say(out.message);
}

function say(message) {
  host.alert(TITLE + "\n\n" + message);
}

// ------------------------------------------------------------------------ reading (bulk)
function readBook(wb) {
  var inputs = XXGK.inputSheets || [];
  var sheets = [];
  var ws, i;
  for (i = 1; i <= wb.Worksheets.Count; i++) {
    ws = wb.Worksheets.Item(i);
    var values = sheetValues(ws);
    var formulas = inputs.indexOf(ws.Name) >= 0 ? sheetFormulas(ws, values) : null;
    sheets.push({ name: String(ws.Name), values: values, formulas: formulas });
  }
  var names = {};
  for (i = 1; i <= wb.Names.Count; i++) {
    var n = wb.Names.Item(i);
    try { names[String(n.Name)] = String(n.RefersTo); } catch (e) { /* #REF! names are not ours */ }
  }
  return { name: String(wb.Name), fullname: String(wb.FullName || ""), sheets: sheets, names: names };
}

function lastCell(ws) {
  var used = ws.UsedRange;
  return { row: used.Row + used.Rows.Count - 1, column: used.Column + used.Columns.Count - 1 };
}

function block(ws, row, column, rows, columns) {
  return ws.Range(ws.Cells.Item(row, column), ws.Cells.Item(row + rows - 1, column + columns - 1));
}

function sheetValues(ws) {
  var last = lastCell(ws);
  if (last.row === 1 && last.column === 1) {
    var v = ws.Cells.Item(1, 1).Value2;
    return v === null || v === undefined || v === "" ? [] : [[clean(v)]];
  }
  var rows = grid(block(ws, 1, 1, last.row, last.column).Value2, last.row, last.column);
  for (var r = 0; r < rows.length; r++) {
    for (var c = 0; c < rows[r].length; c++) rows[r][c] = clean(rows[r][c]);
  }
  return rows;
}

function sheetFormulas(ws, values) {
  if (!values.length) return [];
  try {
    var rows = grid(block(ws, 1, 1, values.length, values[0].length).Formula, values.length, values[0].length);
    var out = [];
    for (var r = 0; r < rows.length; r++) {
      for (var c = 0; c < rows[r].length; c++) {
        var f = rows[r][c];
        if (typeof f === "string" && f.charAt(0) === "=") out.push([r + 1, c + 1, f]);
      }
    }
    return out;
  } catch (e) {
    return null; // formulas only sharpen the reader's notes; never fail a button over them
  }
}

function clean(v) {
  if (v === undefined || v === "") return null;
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  return String(v);
}

// Value2 of a block: an array of rows in WPS; a COM SAFEARRAY (VBArray) where the engine hands
// one over; a single value for one cell.
function grid(value, rows, columns) {
  if (value && typeof value.toArray === "function") value = value.toArray();
  if (!Array.isArray(value)) return [[value]];
  if (value.length && Array.isArray(value[0])) return value.map(function (r) { return r.slice(); });
  var out = [];
  for (var r = 0; r < rows; r++) out.push(value.slice(r * columns, (r + 1) * columns));
  return out;
}

// ------------------------------------------------------------------------ writing (bulk)
// Each sheet: unprotect (if protected) → one Value2 per write → protect again with the same
// password and permissions, also when a write fails. A write to a locked cell of a protected
// sheet is refused here, never forced through the unprotected window.
function applyWrites(wb, writes, password) {
  var bySheet = {}, order = [], refused = [];
  writes.forEach(function (w) {
    if (!bySheet[w.sheet]) { bySheet[w.sheet] = []; order.push(w.sheet); }
    bySheet[w.sheet].push(w);
  });
  order.forEach(function (name) {
    var ws = sheetByName(wb, name);
    var sheetWrites = bySheet[name];
    var ranges = sheetWrites.map(function (w) {
      return block(ws, w.row, w.column, w.values.length, w.values[0].length);
    });
    var isProtected = !!ws.ProtectContents;
    var ok = [];
    for (var i = 0; i < sheetWrites.length; i++) {
      if (isProtected && ranges[i].Locked !== false) refused.push(address(name, sheetWrites[i]));
      else ok.push(i);
    }
    if (!ok.length) return;
    var permissions = isProtected ? protection(ws) : null;
    if (isProtected) ws.Unprotect(password);
    try {
      ok.forEach(function (i) { ranges[i].Value2 = cellValues(sheetWrites[i]); });
    } finally {
      if (isProtected) {
        ws.Protect(password, permissions.DrawingObjects, true, permissions.Scenarios, false,
          permissions.AllowFormattingCells, permissions.AllowFormattingColumns,
          permissions.AllowFormattingRows, permissions.AllowInsertingColumns,
          permissions.AllowInsertingRows, permissions.AllowInsertingHyperlinks,
          permissions.AllowDeletingColumns, permissions.AllowDeletingRows, permissions.AllowSorting,
          permissions.AllowFiltering, permissions.AllowUsingPivotTables);
      }
    }
  });
  return { refused: refused };
}

function protection(ws) {
  var p = ws.Protection || {};
  var out = { DrawingObjects: !!ws.ProtectDrawingObjects, Scenarios: !!ws.ProtectScenarios };
  ["AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
    "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
    "AllowSorting", "AllowFiltering", "AllowUsingPivotTables"].forEach(function (k) { out[k] = !!p[k]; });
  return out;
}

// Strings meant as text keep a leading apostrophe (the spreadsheet's "this is text" prefix), so
// "2021" stays text; blanks clear the cell.
function cellValues(w) {
  return w.values.map(function (row) {
    return row.map(function (v) {
      if (v === null || v === undefined) return "";
      if (w.text && typeof v === "string" && v) return "'" + v;
      return v;
    });
  });
}

function sheetByName(wb, name) {
  for (var i = 1; i <= wb.Worksheets.Count; i++) {
    var ws = wb.Worksheets.Item(i);
    if (String(ws.Name) === name) return ws;
  }
  throw new Error("工作簿缺少工作表“" + name + "”");
}

function address(sheet, w) {
  var letters = "", n = w.column;
  while (n > 0) { letters = String.fromCharCode(65 + (n - 1) % 26) + letters; n = Math.floor((n - 1) / 26); }
  return sheet + "!" + letters + w.row;
}

// ------------------------------------------------------------------------ the service
function statePath() {
  if (XXGK.stateFile) return XXGK.stateFile;
  var home = host.homePath();
  var sep = home.indexOf("\\") >= 0 ? "\\" : "/";
  return home + sep + ".xxgk" + sep + "serve.json";
}

function readState() {
  var path = statePath();
  try {
    if (!host.exists(path)) return null;
    var data = JSON.parse(host.readFile(path));
    return data && data.port && data.token ? data : null;
  } catch (e) {
    return null;
  }
}

function call(conn, method, path, body) {
  try {
    var xhr = host.xhr();
    xhr.open(method, "http://127.0.0.1:" + conn.port + path, false);
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.setRequestHeader(TOKEN_HEADER, conn.token);
    xhr.send(body === undefined ? null : JSON.stringify(body));
    var parsed = null;
    try { parsed = JSON.parse(xhr.responseText); } catch (e) { parsed = null; }
    return { status: xhr.status, body: parsed };
  } catch (e) {
    return { status: 0, body: null };
  }
}

function ping(state) {
  return state ? call(state, "GET", "/ping").status === 200 : false;
}

// The running service, or one started now with WPS's ShellExecute; else a message saying what
// to do (it names the likely cause: no Python/xxgk, a security program, a port problem).
function connect() {
  var state = readState();
  if (ping(state)) return { ok: true, port: state.port, token: state.token };
  var started = false;
  try {
    host.shell(pythonCommand(), serveArgs());
    started = true;
  } catch (e) {
    started = false;
  }
  var seen = null;
  var waited = 0, wait = XXGK.startWait || 20000;
  while (waited < wait) {
    host.sleep(250);
    waited += 250;
    state = readState();
    if (state) seen = state;
    if (ping(state)) return { ok: true, port: state.port, token: state.token };
  }
  return { ok: false, message: cannotStart(started, seen) };
}

function pythonCommand() {
  if (XXGK.python) return XXGK.python;
  return statePath().indexOf("\\") >= 0 ? "pythonw" : "python3"; // no console window on Windows
}

// The service accepts requests from the add-in's own page only. Offline add-ins are file://
// pages (Origin "null", accepted by default); an add-in served over http (online deployment)
// tells the service its origin when it starts it.
function serveArgs() {
  var args = "-m xxgk serve --state-file \"" + statePath() + "\"";
  var origin = typeof location !== "undefined" && location ? String(location.origin || "") : "";
  if (/^https?:\/\/[A-Za-z0-9.:\[\]-]+$/.test(origin)) args += " --allow-origin " + origin;
  return args;
}

function cannotStart(started, seen) {
  var python = pythonCommand();
  var fallback = "\n\n在此之前也可以不用按钮：工作簿自带公式校验（合计不平衡时标红，封面显示校验状态）；" +
    "完整校验和导出请在命令提示符（或终端）中运行 xxgk check 工作簿.xlsx、xxgk export 工作簿.xlsx。";
  if (seen) {
    return "年报助手的本机服务已启动（端口 " + seen.port + "），但加载项连不上它，操作未完成，工作簿未作改动。\n" +
      "多半是安全软件拦截了本机 127.0.0.1 的连接：请把 " + python + " 加入安全软件的信任区（允许本机网络访问），" +
      "然后关闭 WPS 重新打开再试。" + fallback;
  }
  return "无法启动年报助手的本机服务（" + python + " " + serveArgs() + "），操作未完成，工作簿未作改动。\n" +
    "请按顺序检查：\n" +
    "1. 是否已安装 Python 和 xxgk：在命令提示符（或终端）中运行 xxgk --version，应显示版本号；" +
    "如未安装，请按《安装说明》安装后运行 xxgk addin install --wps，再重新打开 WPS。\n" +
    "2. 是否被安全软件拦截：请把 " + python + " 加入安全软件的信任区。\n" +
    "3. 端口被占用或服务异常：在命令提示符（或终端）中运行 xxgk serve，按屏幕提示处理；" +
    "服务启动后（窗口不要关）再点按钮。" + (started ? "" : "\n（WPS 未能执行启动命令：本版本 WPS 可能限制了加载项启动程序，请用第 3 步的办法。）") +
    fallback;
}

// main.js against a fake ET Application holding workbooks built by xxgk (dumped by
// tests/test_wps_js.py), end to end with the real `xxgk serve` the pytest side started.
// Run through pytest: XXGK_JS_DIR names the folder with the dumps, the built main.js and
// what the xlwings buttons wrote on the same workbooks.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { loadWorkbook } = require("./fake_et");
const { loadAddin } = require("./load_addin");
const { SyncXHR } = require("./sync_xhr");

const DIR = process.env.XXGK_JS_DIR;
if (!DIR) throw new Error("run these through pytest tests/test_wps_js.py (it sets XXGK_JS_DIR)");
const MAIN = path.join(DIR, "main.js");
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, "expected.json"), "utf-8"));
const STATE = EXPECTED.stateFile;

function book(name) { return loadWorkbook(path.join(DIR, `${name}.json`)); }
function click(ctx, id) { return ctx.OnAction({ Id: id }); }
function idOf(ctx, tag) { return Object.keys(ctx.XXGK.tags).find((id) => ctx.XXGK.tags[id] === tag); }

function cellMap(writes) {
  const out = {};
  for (const w of writes) out[`${w.sheet}|${w.row}|${w.column}`] = w.value;
  return out;
}

function checkProtection(wb) {
  // Every sheet unprotected for writing is protected again, with the workbook's password and
  // its formatting permissions; nothing was written to a locked cell.
  const un = wb.log.filter((e) => e.event === "unprotect").map((e) => e.sheet);
  const re = wb.log.filter((e) => e.event === "protect");
  assert.deepEqual(re.map((e) => e.sheet), un);
  for (const e of re) {
    assert.equal(e.password, EXPECTED.password);
    assert.equal(e.contents, true);
    const sheet = wb.sheet(e.sheet);
    assert.equal(sheet.protected, true);
    assert.equal(sheet.Protection.AllowFormattingColumns, EXPECTED.allow[e.sheet].AllowFormattingColumns);
    assert.equal(sheet.Protection.AllowFormattingRows, EXPECTED.allow[e.sheet].AllowFormattingRows);
  }
  assert.deepEqual(wb.log.filter((e) => e.event === "refused"), []);
  for (const w of wb.writes()) {
    assert.ok(!wb.sheet(w.sheet).locked(w.row, w.column) || !EXPECTED.protectedSheets.includes(w.sheet),
      `wrote a locked cell ${w.sheet} R${w.row}C${w.column}`);
  }
}

test("ribbon callbacks are plain functions, the button ids map to the Excel ribbon's tags", () => {
  const ctx = loadAddin(MAIN, { stateFile: STATE });
  assert.equal(typeof ctx.OnAction, "function");
  assert.equal(ctx.OnAddinLoad({}), true);
  assert.deepEqual({ ...ctx.XXGK.tags }, EXPECTED.tags);
});

test("校验: the same results and flags as the Excel button, locks and protection respected", () => {
  const wb = book("broken");
  const ctx = loadAddin(MAIN, { workbook: wb, stateFile: STATE });
  click(ctx, idOf(ctx, "validate"));
  assert.deepEqual(cellMap(wb.writes()), EXPECTED.validate.cells);
  assert.equal(ctx.alerts.length, 1);
  assert.equal(ctx.alerts[0], `信息公开年报助手\n\n${EXPECTED.validate.message}`);
  assert.match(ctx.alerts[0], /校验完成：不可导出/);
  assert.deepEqual(wb.log.filter((e) => e.event === "activate").map((e) => e.sheet), [EXPECTED.results]);
  assert.deepEqual(ctx.shellCalls, []); // the service was running: nothing started
  checkProtection(wb);
  // One bulk read: the snapshot sent had every sheet, values from A1 and the names.
  const sent = JSON.parse(SyncXHR.sent.at(-1).body).book;
  assert.equal(sent.sheets.length, wb.sheets.length);
  assert.equal(sent.fullname, wb.FullName);
  assert.ok(Object.keys(sent.names).length > 100);
  assert.equal(SyncXHR.sent.at(-1).headers["X-Xxgk-Token"], JSON.parse(fs.readFileSync(STATE, "utf-8")).token);
});

test("生成说明: text written through unprotected-then-protected input sheets, edited text kept", () => {
  const wb = book("narrative");
  const ctx = loadAddin(MAIN, { workbook: wb, stateFile: STATE });
  click(ctx, idOf(ctx, "narrative"));
  assert.deepEqual(cellMap(wb.writes()), EXPECTED.narrative.cells);
  assert.equal(ctx.alerts[0], `信息公开年报助手\n\n${EXPECTED.narrative.message}`);
  assert.match(ctx.alerts[0], /已保留原文/);
  const protectedWrites = wb.writes().filter((w) => EXPECTED.protectedSheets.includes(w.sheet));
  assert.ok(protectedWrites.length > 0 && protectedWrites.every((w) => !w.whileProtected));
  assert.ok(wb.writes().some((w) => w.text)); // texts go in as text ('-prefixed)
  checkProtection(wb);
});

test("清除标记 writes only the flags sheet", () => {
  const wb = book("broken");
  const ctx = loadAddin(MAIN, { workbook: wb, stateFile: STATE });
  click(ctx, idOf(ctx, "clear_flags"));
  assert.deepEqual(cellMap(wb.writes()), EXPECTED.clear_flags.cells);
  assert.deepEqual([...new Set(wb.writes().map((w) => w.sheet))], [EXPECTED.flags]);
  assert.equal(ctx.alerts[0], `信息公开年报助手\n\n${EXPECTED.clear_flags.message}`);
});

test("导出 writes the files next to the workbook, refuses a workbook with errors", () => {
  const wb = book("clean");
  const ctx = loadAddin(MAIN, { workbook: wb, stateFile: STATE });
  const folder = path.dirname(wb.FullName);
  const before = new Set(fs.readdirSync(folder));
  click(ctx, idOf(ctx, "export_all"));
  const added = fs.readdirSync(folder).filter((f) => !before.has(f)).map((f) => path.extname(f)).sort();
  assert.deepEqual(added, [".docx", ".html", ".json"]);
  assert.match(ctx.alerts[0], /已导出到文件夹/);
  assert.deepEqual(wb.writes(), []);

  const bad = book("broken");
  const ctx2 = loadAddin(MAIN, { workbook: bad, stateFile: STATE });
  const before2 = fs.readdirSync(path.dirname(bad.FullName)).length;
  click(ctx2, idOf(ctx2, "export_docx"));
  assert.match(ctx2.alerts[0], /错误.*未导出/);
  assert.equal(fs.readdirSync(path.dirname(bad.FullName)).length, before2);
});

test("a service that cannot start: ShellExecute tried, a Chinese message says what to do", () => {
  const wb = book("broken");
  const ctx = loadAddin(MAIN, { workbook: wb, stateFile: path.join(DIR, "no-such-state.json") });
  ctx.XXGK.startWait = 1000;
  click(ctx, idOf(ctx, "validate"));
  assert.equal(ctx.shellCalls.length, 1);
  assert.equal(ctx.shellCalls[0][0], EXPECTED.python);
  assert.match(ctx.shellCalls[0][1], /^-m xxgk serve --state-file "/);
  assert.match(ctx.alerts[0], /无法启动年报助手的本机服务/);
  assert.match(ctx.alerts[0], /xxgk --version/);
  assert.match(ctx.alerts[0], /安全软件/);
  assert.match(ctx.alerts[0], /xxgk check/);
  assert.deepEqual(wb.log, []);
});

test("an add-in page served over http tells the service its origin when starting it", () => {
  const ctx = loadAddin(MAIN, { workbook: book("broken"), stateFile: path.join(DIR, "no-such-state.json") });
  ctx.XXGK.startWait = 250;
  ctx.location = { origin: "http://127.0.0.1:3889" };
  click(ctx, idOf(ctx, "validate"));
  assert.match(ctx.shellCalls[0][1], / --allow-origin http:\/\/127\.0\.0\.1:3889$/);
  ctx.location = { origin: "null" };
  ctx.shellCalls.length = 0;
  click(ctx, idOf(ctx, "validate"));
  assert.doesNotMatch(ctx.shellCalls[0][1], /allow-origin/);
});

test("a service that started but cannot be reached: blame the security software", () => {
  const stale = path.join(DIR, "stale-state.json");
  fs.writeFileSync(stale, JSON.stringify({ port: 1, token: "x" }));
  const ctx = loadAddin(MAIN, { workbook: book("broken"), stateFile: stale });
  ctx.XXGK.startWait = 500;
  click(ctx, idOf(ctx, "validate"));
  assert.match(ctx.alerts[0], /已启动（端口 1）.*连不上/s);
  assert.match(ctx.alerts[0], /信任区/);
});

test("a write to a locked cell is refused, others go in, protection comes back even after a failure", () => {
  const wb = book("broken");
  const ctx = loadAddin(MAIN, { workbook: wb, stateFile: STATE });
  const sheet = EXPECTED.protectedSheets[0];
  const ws = wb.sheet(sheet);
  const [ur, uc] = [...ws.unlocked][0].split(",").map(Number);
  const writes = [
    { sheet, row: 1, column: 1, values: [["不该写入"]], text: true },   // A1: a locked title cell
    { sheet, row: ur, column: uc, values: [[7]], text: false },
  ];
  const out = ctx.applyWrites(wb, writes, EXPECTED.password);
  assert.deepEqual([...out.refused], [`${sheet}!A1`]);
  assert.deepEqual(wb.writes().map((w) => [w.row, w.column, w.value]), [[ur, uc, 7]]);
  checkProtection(wb);
  // A failing write (the engine throws) still leaves the sheet protected.
  const wb2 = book("broken");
  const ws2 = wb2.sheet(sheet);
  ws2.set = () => { throw new Error("磁盘已满"); };
  assert.throws(() => ctx.applyWrites(wb2, [writes[1]], EXPECTED.password), /磁盘已满/);
  assert.equal(ws2.protected, true);
  assert.deepEqual(wb2.log.map((e) => e.event), ["unprotect", "protect"]);
});

test("no workbook open, and 导入上年数据: Chinese messages, nothing started", () => {
  const ctx = loadAddin(MAIN, { stateFile: STATE });
  click(ctx, idOf(ctx, "validate"));
  assert.match(ctx.alerts[0], /没有找到要处理的工作簿/);
  click(ctx, idOf(ctx, "import_previous"));
  assert.match(ctx.alerts[1], /xxgk new/);
  assert.deepEqual(ctx.shellCalls, []);
});

test("help comes from the service, with or without a workbook", () => {
  const ctx = loadAddin(MAIN, { workbook: book("clean"), stateFile: STATE });
  click(ctx, idOf(ctx, "help"));
  assert.match(ctx.alerts[0], /信息公开年报助手 \d/);
  const none = loadAddin(MAIN, { stateFile: STATE });
  click(none, idOf(none, "help"));
  assert.match(none.alerts[0], /信息公开年报助手 \d/);
  assert.match(none.alerts[0], /日志文件夹/);
});

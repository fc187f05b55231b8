// Runs the built main.js (as WPS loads it: a plain script) in a fresh context whose `wps`,
// `Application`, `XMLHttpRequest` and `alert` are the fakes; returns the context.
"use strict";
const fs = require("node:fs");
const vm = require("node:vm");
const { SyncXHR } = require("./sync_xhr");

function loadAddin(mainJs, { workbook, stateFile, shell, xhr, files } = {}) {
  const alerts = [];
  const shellCalls = [];
  const app = { ActiveWorkbook: workbook || null };
  const ctx = {
    console, Date, JSON, Math, Error,
    Application: app,
    XMLHttpRequest: xhr || SyncXHR,
    alert: (m) => alerts.push(String(m)),
    wps: {
      EtApplication: () => app,
      FileSystem: {
        Exists: (p) => (files ? p in files : fs.existsSync(p)),
        ReadFile: (p) => (files ? files[p] : fs.readFileSync(p, "utf-8")),
      },
      Env: { GetHomePath: () => "/home/nobody" },
      OAAssist: { ShellExecute: (program, args) => { shellCalls.push([program, args]); if (shell) return shell(program, args); return 0; } },
    },
  };
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(mainJs, "utf-8"), ctx, { filename: mainJs });
  if (stateFile !== undefined) ctx.XXGK.stateFile = stateFile;
  ctx.host.sleep = () => {}; // the start-up wait is counted, not slept
  ctx.alerts = alerts;
  ctx.shellCalls = shellCalls;
  ctx.app = app;
  return ctx;
}

module.exports = { loadAddin };

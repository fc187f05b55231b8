// A synchronous XMLHttpRequest for Node (WPS's page has the real one; main.js uses it with
// async=false because ribbon callbacks are synchronous). Each send runs one real HTTP request
// in a child process and waits for it. It sends Origin: null, as WPS's file:// add-in page does.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

class SyncXHR {
  constructor() { this.headers = { Origin: "null" }; this.status = 0; this.responseText = ""; }
  open(method, url, async) {
    if (async !== false) throw new Error("main.js must use synchronous requests");
    Object.assign(this, { method, url });
  }
  setRequestHeader(k, v) { this.headers[k] = v; }
  send(body) {
    SyncXHR.sent.push({ method: this.method, url: this.url, headers: { ...this.headers }, body });
    const proc = spawnSync(process.execPath, [path.join(__dirname, "http_once.js")], {
      input: JSON.stringify({ method: this.method, url: this.url, headers: this.headers, body: body ?? null }),
      encoding: "utf-8", timeout: 120000, maxBuffer: 64 * 1024 * 1024,
    });
    const out = JSON.parse(proc.stdout || '{"status":0,"text":""}');
    if (out.status === 0) throw new Error("net::ERR_CONNECTION_REFUSED");
    this.status = out.status;
    this.responseText = out.text;
  }
}
SyncXHR.sent = [];

module.exports = { SyncXHR };

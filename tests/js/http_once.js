// One HTTP request, for the synchronous XMLHttpRequest stand-in (sync_xhr.js): reads
// {method, url, headers, body} on stdin, prints {status, text}.
"use strict";
const http = require("node:http");

let input = "";
process.stdin.on("data", (d) => { input += d; });
process.stdin.on("end", () => {
  const req = JSON.parse(input);
  // As a browser's XMLHttpRequest does: the body's length, not a chunked upload.
  if (req.body !== null && req.body !== undefined) req.headers["Content-Length"] = Buffer.byteLength(req.body);
  const r = http.request(req.url, { method: req.method, headers: req.headers }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => process.stdout.write(JSON.stringify({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf-8") })));
  });
  r.on("error", () => process.stdout.write(JSON.stringify({ status: 0, text: "" })));
  if (req.body !== null && req.body !== undefined) r.write(req.body);
  r.end();
});

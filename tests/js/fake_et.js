// A fake WPS 表格 (ET) Application over a workbook dumped by tests/wps_support.py: values,
// formulas, locked cells, protection and names as the built .xlsx has them. It behaves like
// the real object model where main.js depends on it: UsedRange starts at the first used cell,
// Value2 of a block is an array of rows, a write to a locked cell of a protected sheet throws,
// Unprotect with a wrong password throws. Every write, (un)protection and activation is logged.
"use strict";

const fs = require("node:fs");

class Range {
  constructor(ws, r1, c1, r2, c2) {
    Object.assign(this, { ws, r1, c1, r2: r2 ?? r1, c2: c2 ?? c1 });
  }
  get Row() { return this.r1; }
  get Column() { return this.c1; }
  get Rows() { return { Count: this.r2 - this.r1 + 1 }; }
  get Columns() { return { Count: this.c2 - this.c1 + 1 }; }
  cells(fn) {
    const out = [];
    for (let r = this.r1; r <= this.r2; r++) {
      const row = [];
      for (let c = this.c1; c <= this.c2; c++) row.push(fn(r, c));
      out.push(row);
    }
    return out;
  }
  single() { return this.r1 === this.r2 && this.c1 === this.c2; }
  get Value2() {
    const v = this.cells((r, c) => this.ws.get(r, c));
    return this.single() ? v[0][0] : v;
  }
  set Value2(value) {
    const rows = Array.isArray(value) ? value : [[value]];
    this.cells((r, c) => {
      const v = rows[r - this.r1][c - this.c1];
      this.ws.set(r, c, v);
    });
  }
  get Formula() {
    const v = this.cells((r, c) => this.ws.formulas.get(`${r},${c}`) ?? (this.ws.get(r, c) === undefined ? "" : String(this.ws.get(r, c))));
    return this.single() ? v[0][0] : v;
  }
  get Locked() {
    const locks = this.cells((r, c) => this.ws.locked(r, c)).flat();
    if (locks.every((x) => x)) return true;
    if (locks.every((x) => !x)) return false;
    return null;
  }
}

class Worksheet {
  constructor(book, data) {
    this.book = book;
    this.Name = data.name;
    this.values = new Map();
    this.formulas = new Map();
    this.unlocked = new Set(data.unlocked.map(([r, c]) => `${r},${c}`));
    this.protected = data.protected;
    this.password = data.password;
    this.Protection = { ...data.allow };
    data.values.forEach((row, i) => row.forEach((v, j) => { if (v !== null) this.values.set(`${i + 1},${j + 1}`, v); }));
    data.formulas.forEach(([r, c, f]) => this.formulas.set(`${r},${c}`, f));
    this.Cells = { Item: (r, c) => new Range(this, r, c) };
  }
  get ProtectContents() { return this.protected; }
  get(r, c) { return this.values.get(`${r},${c}`); }
  locked(r, c) { return !this.unlocked.has(`${r},${c}`); }
  set(r, c, v) {
    if (this.protected && this.locked(r, c)) {
      this.book.log.push({ event: "refused", sheet: this.Name, row: r, column: c });
      throw new Error(`您试图更改的单元格或图表受保护（${this.Name} R${r}C${c}）`);
    }
    if (this.formulas.has(`${r},${c}`)) this.formulas.delete(`${r},${c}`);
    let text = false;
    if (typeof v === "string" && v.startsWith("'")) { v = v.slice(1); text = true; }
    if (typeof v === "string" && v.startsWith("=")) this.formulas.set(`${r},${c}`, v);
    if (v === "" || v === null || v === undefined) this.values.delete(`${r},${c}`);
    else this.values.set(`${r},${c}`, v);
    this.book.log.push({ event: "write", sheet: this.Name, row: r, column: c, value: v === "" ? null : v, text,
      whileProtected: this.protected });
  }
  get UsedRange() {
    const keys = [...this.values.keys(), ...this.formulas.keys()].map((k) => k.split(",").map(Number));
    if (!keys.length) return new Range(this, 1, 1);
    const rows = keys.map((k) => k[0]), cols = keys.map((k) => k[1]);
    return new Range(this, Math.min(...rows), Math.min(...cols), Math.max(...rows), Math.max(...cols));
  }
  Range(a, b) { return new Range(this, a.r1, a.c1, (b || a).r2, (b || a).c2); }
  Unprotect(password) {
    if (this.protected && password !== this.password) throw new Error("密码不正确");
    this.protected = false;
    this.book.log.push({ event: "unprotect", sheet: this.Name });
  }
  Protect(password, drawing, contents, scenarios, uiOnly, fmtCells, fmtColumns, fmtRows, ...rest) {
    this.protected = true;
    this.password = password;
    this.Protection = { ...this.Protection, AllowFormattingCells: !!fmtCells, AllowFormattingColumns: !!fmtColumns,
      AllowFormattingRows: !!fmtRows };
    this.book.log.push({ event: "protect", sheet: this.Name, password, contents, args: [drawing, contents, scenarios, uiOnly, fmtCells, fmtColumns, fmtRows, ...rest] });
  }
  Activate() { this.book.log.push({ event: "activate", sheet: this.Name }); }
}

class Workbook {
  constructor(dump) {
    this.log = [];
    this.Name = dump.name;
    this.FullName = dump.fullname || dump.name;
    this.sheets = dump.sheets.map((s) => new Worksheet(this, s));
    const names = dump.names.map((n) => ({ Name: n.name, RefersTo: n.refers_to }));
    this.Names = { Count: names.length, Item: (i) => names[i - 1] };
    this.Worksheets = {
      Count: this.sheets.length,
      Item: (i) => (typeof i === "number" ? this.sheets[i - 1] : this.sheets.find((s) => s.Name === i)),
    };
    this.Sheets = this.Worksheets;
  }
  sheet(name) { return this.sheets.find((s) => s.Name === name); }
  writes() { return this.log.filter((e) => e.event === "write"); }
}

function loadWorkbook(path) {
  return new Workbook(JSON.parse(fs.readFileSync(path, "utf-8")));
}

module.exports = { Workbook, loadWorkbook };

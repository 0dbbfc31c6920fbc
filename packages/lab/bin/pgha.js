#!/usr/bin/env node
// The pgha command line: the compiled CLI (npm run build, or prepack, writes dist/).
"use strict";
const path = require("node:path");
const { main, reportError } = require(path.join(__dirname, "..", "dist", "cli", "main.js"));
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportError(err);
  },
);

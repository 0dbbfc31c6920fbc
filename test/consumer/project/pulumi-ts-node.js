// Registers ts-node the way Pulumi's Node.js runtime does for a CommonJS TypeScript project
// (@pulumi/pulumi cmd/run/run.js): the project's tsconfig, type checking unless it says noCheck,
// and its compilerOptions laid over { target ES2020, module/moduleResolution nodenext, sourceMap }.
"use strict";
const path = require("node:path");
const ts = require("typescript");
const tsConfigPath = path.join(__dirname, "tsconfig.json");
const { config } = ts.readConfigFile(tsConfigPath, ts.sys.readFile);
const compilerOptions = config.compilerOptions || {};
require("ts-node").register({
  compiler: "typescript",
  transpileOnly: compilerOptions.noCheck,
  project: tsConfigPath,
  skipProject: false,
  compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
});
require("./run.ts");

// Condition*=/Assert*= path checks of a unit, evaluated in the node's view
// right before a start (Debian's patroni.service has
// ConditionPathExists=/etc/patroni/config.yml, keepalived ConditionFileNotEmpty=).
import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import type { PathCondition } from "./systemdUnit";

function check(c: PathCondition): boolean {
  try {
    switch (c.kind) {
      case "PathExists":
        return existsSync(c.path);
      case "PathIsDirectory":
        return statSync(c.path).isDirectory();
      case "FileNotEmpty":
        return statSync(c.path).isFile() && statSync(c.path).size > 0;
      case "DirectoryNotEmpty":
        return readdirSync(c.path).length > 0;
      case "PathIsSymbolicLink":
        return lstatSync(c.path).isSymbolicLink();
    }
  } catch {
    return false;
  }
}

export function conditionHolds(c: PathCondition): boolean {
  return c.negate ? !check(c) : check(c);
}

export function describeCondition(c: PathCondition): string {
  return `${c.assert ? "Assert" : "Condition"}${c.kind}=${c.negate ? "!" : ""}${c.path}`;
}

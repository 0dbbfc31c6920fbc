import { describe, expect, it } from "vitest";
import { supervisorArgv } from "./supervisorControl";

describe("node supervisor command line", () => {
  it("enters the node's network namespace and a private mount view over its root", () => {
    const root = {
      lower: ["/img/layer", "/img/base"],
      upper: "/lab/nodes/db-0/upper",
      work: "/lab/nodes/db-0/work",
      mountpoint: "/lab/nodes/db-0/root",
    };
    const argv = supervisorArgv("pgha-db-0", "/lab/s", root, "db-0");
    expect(argv.slice(0, 11)).toEqual([
      "ip",
      "netns",
      "exec",
      "pgha-db-0",
      "unshare",
      "--mount",
      "--propagation",
      "private",
      "--uts",
      "--ipc",
      "--",
    ]);
    // enter-root.sh ROOT LOWERDIRS UPPER WORK BINDS HOSTNAME -- node ...: the node's own files over the image layers.
    expect(argv.slice(11, 13)).toEqual(["/bin/sh", expect.stringMatching(/image\/enter-root\.sh$/)]);
    expect(argv.slice(13, 19)).toEqual([
      root.mountpoint,
      "/img/layer:/img/base",
      root.upper,
      root.work,
      expect.stringContaining("/lab/s=/run/pgha-lab/state"),
      "db-0",
    ]);
    expect(argv.slice(19, 21)).toEqual(["--", "/run/pgha-lab/node"]);
  });
});

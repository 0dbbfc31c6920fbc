import { readdirSync } from "node:fs";
import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

// Tests that run the lab image's programs: the tool tests, and two GKE tests that check
// their configs with the image's cloud-init and Patroni.
const TOOL_TESTS = ["test/tools/**/*.test.ts", "test/gke-client-cloudinit.test.ts", "test/gke-patroni-validate.test.ts"];
// test/lab*.test.ts boot lab nodes, networks or supervisors in namespaces, except these, which only plan.
const PURE_LAB_TESTS = ["test/lab-cloud-plan.test.ts", "test/lab-preflight.test.ts"];
const LAB_TESTS = readdirSync(path.join(__dirname, "test"))
  .filter((f) => /^lab.*\.test\.ts$/.test(f))
  .map((f) => `test/${f}`)
  .filter((f) => !PURE_LAB_TESTS.includes(f));
// npm pack + install into a fresh Pulumi project: minutes, and needs npm's registry (or its cache).
const PACKAGE_TESTS = ["test/consumer/*.test.ts"];
// Builds or finds the lab's Debian 13 images once per run, for the projects that run them.
const IMAGE_SETUP = ["./test/support/imageSetup.ts"];

export default defineConfig({
  // `pgha` and `pgha/<module>` (the lab's imports, the examples) resolve to pgha's sources, so one
  // run tests one copy of the code. The consumer test (project "package") installs the packed
  // packages instead, the way a company stack does.
  resolve: {
    alias: [
      { find: /^pgha$/, replacement: path.join(__dirname, "packages/pgha/lib/index.ts") },
      { find: /^pgha\/(.*)$/, replacement: path.join(__dirname, "packages/pgha/lib/$1") },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/summaryReporter.ts"],
    // Projects run group by group (sequence.groupOrder): unit, then tools, then lab, then package. Tool and
    // lab tests use fixed loopback and namespace addresses, so they run one file at a time and
    // never alongside each other.
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/lib/**/*.test.ts", "stacks/**/*.test.ts", "test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...TOOL_TESTS, ...LAB_TESTS, ...PACKAGE_TESTS],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "tools", include: TOOL_TESTS, fileParallelism: false, globalSetup: IMAGE_SETUP, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: "lab", include: LAB_TESTS, fileParallelism: false, globalSetup: IMAGE_SETUP, sequence: { groupOrder: 2 } },
      },
      {
        extends: true,
        test: { name: "package", include: PACKAGE_TESTS, testTimeout: 600_000, hookTimeout: 900_000, sequence: { groupOrder: 3 } },
      },
    ],
  },
});

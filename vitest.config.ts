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
// Builds or finds the lab's Debian 13 images once per run, for the projects that run them.
const IMAGE_SETUP = ["./test/support/imageSetup.ts"];

export default defineConfig({
  // Examples import pgha the way a company stack does.
  resolve: { alias: { pgha: path.join(__dirname, "lib/index.ts") } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/support/summaryReporter.ts"],
    // Projects run group by group (sequence.groupOrder): unit, then tools, then lab. Tool and
    // lab tests use fixed loopback and namespace addresses, so they run one file at a time and
    // never alongside each other.
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "stacks/**/*.test.ts", "test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...TOOL_TESTS, ...LAB_TESTS],
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
    ],
  },
});

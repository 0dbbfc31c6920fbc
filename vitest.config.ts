import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Examples import pgha the way a company stack does.
  resolve: { alias: { pgha: path.join(__dirname, "lib/index.ts") } },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts", "stacks/**/*.test.ts"],
    // Tool and lab tests start real daemons on fixed loopback/namespace addresses: run files one at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Builds or finds the lab's Debian 13 images once per run; tool tests run their programs.
    globalSetup: ["./test/support/imageSetup.ts"],
    reporters: ["default", "./test/support/summaryReporter.ts"],
  },
});

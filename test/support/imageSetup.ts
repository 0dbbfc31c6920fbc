/**
 * vitest globalSetup: builds (or finds in /var/cache/pgha-lab) the lab's Debian 13 images once,
 * before any test file runs, and hands their paths to the test files (inject("labImages")).
 * A fresh machine builds them here, once, with progress on the console; later runs find them
 * in the cache in well under a second. The tool tests run the tools image's programs
 * (test/support/image.ts). If the build fails, the run goes on (unit tests need no image) and
 * every test that needs the image fails with the build's error.
 */
import type { TestProject } from "vitest/node";
import { ensureLabImages } from "../../packages/lab/lib/lab/node/image/debianImage";

export default async function setup(project: TestProject): Promise<void> {
  const t0 = Date.now();
  let building = false;
  const log = (line: string) => {
    if (!building) process.stdout.write("lab images: building what the cache lacks (once; later runs reuse it)\n");
    building = true;
    process.stdout.write(`lab images:${line}\n`);
  };
  try {
    const images = await ensureLabImages(log);
    if (building) process.stdout.write(`lab images: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s, tools root ${images.tools}\n`);
    project.provide("labImages", images);
  } catch (e) {
    const message = (e as Error).message;
    process.stdout.write(`lab images: NOT available, tests that run the image's programs will fail: ${message}\n`);
    project.provide("labImagesError", message);
  }
}

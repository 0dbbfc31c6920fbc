/**
 * Vitest's side of the component mocks (kept apart from testing.ts, which scripts such as
 * bench/evaluate.ts load outside vitest).
 */
import { beforeEach } from "vitest";
import type { MockRecorder } from "../platform/testing";
import { installComponentMocks } from "./testing";

/** A test file's mocks: installed once, emptied before each test after the last one's resources settle. */
export function useComponentMocks(): MockRecorder {
  const rec = installComponentMocks();
  beforeEach(async () => {
    await rec.settled();
    rec.reset();
  });
  return rec;
}

import { describe, expect, it } from "vitest";
import { ExecError, exec } from "./exec";

describe("exec", () => {
  it("exec reports the command and stderr on failure", async () => {
    await expect(exec("ls", ["/definitely/not/here"])).rejects.toThrow(
      /command failed \(exit 2\): ls \/definitely\/not\/here\n.*No such file/,
    );
    const e = await exec("sh", ["-c", "echo out; echo err >&2; exit 3"]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExecError);
    expect((e as ExecError).code).toBe(3);
    expect((await exec("cat", [], { input: "hello" })).stdout).toBe("hello");
  });
});

import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { installComponentMocks, resolve } from "../packages/pgha/lib/components/testing";
import type { MockRecorder } from "../packages/pgha/lib/platform/testing";

let rec: MockRecorder;
beforeAll(() => {
  rec = installComponentMocks();
});

describe("examples evaluate under mocks as a company stack would run them", () => {
  it("yandex-basic: 8 VMs, an NLB, a bucket; the write endpoint is the NLB's", async () => {
    const ex = await import("../examples/yandex-basic/index");
    expect(await resolve(ex.writeEndpoint)).toBe("10.10.1.45:5000");
    expect(await pulumi.isSecret(ex.connectionString)).toBe(true);
    // Registration is asynchronous: wait (bounded) for the VMs to reach the mocks.
    for (let i = 0; i < 100 && rec.ofType("yandex:index/computeInstance:ComputeInstance").length < 8; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(rec.ofType("yandex:index/computeInstance:ComputeInstance")).toHaveLength(8);
    expect(rec.ofType("yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer")).toHaveLength(1);
  });

  it("gcp-cross-region-standby: the standby follows the primary's cross-region internal LB through its slot", async () => {
    const ex = await import("../examples/gcp-cross-region-standby/index");
    expect(await resolve(ex.standbyFollows)).toEqual({ source: "main", host: "10.20.0.45", port: 5005, slot: "standby_dr" });
    expect(await resolve(ex.primaryEndpoint)).toBe("10.20.0.45:5000");
  });
});

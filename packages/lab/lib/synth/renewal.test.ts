/**
 * `pgha synth` "as of" a date: leaf certificates within their renewal window are re-issued as the
 * tls provider's ready_for_renewal would have a `pulumi up` do; the CA is kept; deterministic.
 */
import "reflect-metadata";
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type SynthCertChain, synthCertChain } from "../../../../test/support/synthCertChain";
import { SynthMocks } from "./mocks";
import { issuance } from "./renewal";

const START = new Date("2026-01-01T00:00:00Z");
const DAY = 24;
/** The defaults of a stack's `tls`: a 365-day leaf renewed 30 days early, a 3650-day CA. */
const LEAF = { validityPeriodHours: 365 * DAY, earlyRenewalHours: 30 * DAY };

async function chainAsOf(now: string | undefined): Promise<SynthCertChain> {
  const mocks = new SynthMocks({ seed: "pgha/lab", notBefore: START, now: now === undefined ? undefined : new Date(now) });
  const chain = await synthCertChain(mocks, {
    ipAddresses: ["10.77.1.32", "127.0.0.1"],
    dnsNames: ["main-patroni-0"],
    caValidityHours: 3650 * DAY,
    leafValidityHours: LEAF.validityPeriodHours,
    leafEarlyRenewalHours: LEAF.earlyRenewalHours,
  });
  expect(mocks.errors).toEqual([]);
  return chain;
}

const serial = (pem: string) => new X509Certificate(pem).serialNumber;

describe("issuance: the issue of a certificate in force at a given time", () => {
  it("is the first issue until the renewal window opens, then one issue per (validity - early renewal)", () => {
    const at = (iso: string) => issuance(START, new Date(iso), LEAF.validityPeriodHours, LEAF.earlyRenewalHours);
    expect(at("2026-06-01T00:00:00Z")).toMatchObject({ renewals: 0, notBefore: START, readyForRenewal: false });
    // 365 - 30 = 335 days after the start the window opens: 2026-12-02.
    expect(at("2026-12-01T23:59:59Z")).toMatchObject({ renewals: 0 });
    const renewed = at("2026-12-02T00:00:00Z");
    expect(renewed.renewals).toBe(1);
    expect(renewed.notBefore.toISOString()).toBe("2026-12-02T00:00:00.000Z");
    expect(renewed.notAfter.toISOString()).toBe("2027-12-02T00:00:00.000Z");
    expect(at("2029-01-01T00:00:00Z").renewals).toBe(3);
    // Before the start nothing was issued yet: the first issue, not yet valid.
    expect(at("2025-01-01T00:00:00Z")).toMatchObject({ renewals: 0, notBefore: START });
  });

  it("without early renewal a certificate is renewed only at its expiry (the CA)", () => {
    const ca = (iso: string) => issuance(START, new Date(iso), 3650 * DAY);
    expect(ca("2035-12-29T23:59:59Z").renewals).toBe(0);
    expect(ca("2035-12-30T00:00:00Z")).toMatchObject({ renewals: 1 });
  });

  it("refuses a renewal window that is not below the validity, as the provider would replace on every up", () => {
    expect(() => issuance(START, START, 24, 24)).toThrow(/earlyRenewalHours \(24\) must be >= 0 and below validityPeriodHours \(24\)/);
    expect(() => issuance(START, START, 24, -1)).toThrow(/earlyRenewalHours \(-1\)/);
  });
});

describe("synth certificates as of a date", () => {
  it("without a clock (or before the window) the leaf starts at notBefore", async () => {
    for (const now of [undefined, "2026-11-30T00:00:00Z"]) {
      const { leaf } = await chainAsOf(now);
      expect(leaf).toMatchObject({
        validityStartTime: "2026-01-01T00:00:00Z",
        validityEndTime: "2027-01-01T00:00:00Z",
        readyForRenewal: false,
      });
    }
  });

  it("after the renewal date the leaf is re-issued (new serial and validity, same key), the CA kept, and it verifies", async () => {
    const before = await chainAsOf("2026-11-30T00:00:00Z");
    const after = await chainAsOf("2026-12-07T12:00:00Z");
    expect(after.ca.certPem).toBe(before.ca.certPem);
    expect(after.key.privateKeyPem).toBe(before.key.privateKeyPem);
    expect(after.leaf.certPem).not.toBe(before.leaf.certPem);
    expect(serial(after.leaf.certPem)).not.toBe(serial(before.leaf.certPem));
    expect(after.leaf).toMatchObject({
      validityStartTime: "2026-12-02T00:00:00Z",
      validityEndTime: "2027-12-02T00:00:00Z",
      readyForRenewal: false,
    });
    const leaf = new X509Certificate(after.leaf.certPem);
    const ca = new X509Certificate(after.ca.certPem);
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe("DNS:main-patroni-0, IP Address:10.77.1.32, IP Address:127.0.0.1");
  });

  it("is deterministic for a given clock: the same date gives byte-identical certificates", async () => {
    const a = await chainAsOf("2027-06-01T00:00:00Z");
    const b = await chainAsOf("2027-06-01T00:00:00Z");
    expect(b.leaf.certPem).toBe(a.leaf.certPem);
    expect(b.ca.certPem).toBe(a.ca.certPem);
  });

  it("a CA past its own expiry is replaced, and its leaves with it", async () => {
    const old = await chainAsOf("2035-12-01T00:00:00Z");
    const renewed = await chainAsOf("2036-01-15T00:00:00Z");
    expect(renewed.ca.certPem).not.toBe(old.ca.certPem);
    expect(renewed.ca.validityStartTime).toBe("2035-12-30T00:00:00Z");
    // The leaf follows its new CA: re-issued at the CA's replacement.
    expect(renewed.leaf.validityStartTime).toBe("2035-12-30T00:00:00Z");
    expect(new X509Certificate(renewed.leaf.certPem).checkIssued(new X509Certificate(renewed.ca.certPem))).toBe(true);
  });
});

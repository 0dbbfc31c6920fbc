/**
 * TLS is required on every client path, and certificate lifetimes must allow renewal (issue 14, T):
 * each case refused by parseTopology with the field path, the rule and the numbers.
 */
import { describe, expect, it } from "vitest";
import { parseTopology } from ".";
import { base, expectAccepted, expectRefused, type InvalidCase, type Mutate } from "./testInvalid";
import { caCertificateHours, leafCertificateHours } from "./tls";

const tls =
  (settings: object): Mutate =>
  (t) =>
    (t.tls = settings);
const hba =
  (rule: object): Mutate =>
  (t) =>
    (t.clusters[0].postgres = { hba: [rule] });

const cases: InvalidCase[] = [
  [
    "PostgreSQL TLS off",
    tls({ postgres: false }),
    "tls.postgres",
    /^PostgreSQL and PgBouncer carry passwords .*TLS is required and cannot be turned off$/,
  ],
  [
    "REST API TLS off",
    tls({ restApi: false }),
    "tls.restApi",
    /^Patroni's REST API carries its basic-auth password.*TLS is required and cannot be turned off$/,
  ],
  ["etcd TLS off", tls({ etcd: false }), "tls.etcd", /^etcd's client port carries the DCS.*TLS is required and cannot be turned off$/],
  [
    "renewal window as long as the validity",
    tls({ certificateValidityDays: 90, renewBeforeDays: 90 }),
    "tls.renewBeforeDays",
    /^renewBeforeDays \(90\) must be below certificateValidityDays \(90\), or every pulumi up would replace every certificate$/,
  ],
  [
    "renewal window longer than the default validity",
    tls({ renewBeforeDays: 400 }),
    "tls.renewBeforeDays",
    /^renewBeforeDays \(400\) must be below certificateValidityDays \(365\)/,
  ],
  ["no renewal window", tls({ renewBeforeDays: 0 }), "tls.renewBeforeDays", /Too small: expected number to be >=1/],
  ["leaf validity of one day", tls({ certificateValidityDays: 1 }), "tls.certificateValidityDays", /Too small: expected number to be >=2/],
  [
    "leaf validity beyond ten years",
    tls({ certificateValidityDays: 3651 }),
    "tls.certificateValidityDays",
    /Too big: expected number to be <=3650/,
  ],
  ["fractional days", tls({ certificateValidityDays: 365.5 }), "tls.certificateValidityDays", /must be int, got 365.5/],
  [
    "CA shorter than its leaves",
    tls({ certificateValidityDays: 800, renewBeforeDays: 30, caValidityDays: 730 }),
    "tls.caValidityDays",
    /^caValidityDays \(730\) must be above certificateValidityDays \(800\): a leaf certificate cannot outlive the CA that signed it$/,
  ],
  ["CA under a year", tls({ caValidityDays: 364 }), "tls.caValidityDays", /Too small: expected number to be >=365/],
  ["the old hour-based setting", tls({ validityHours: 8760 }), "tls", /validityHours/],
  [
    "an extra pg_hba host rule that admits a login without TLS",
    hba({ type: "host", database: "app", user: "report", address: "10.99.0.0/16", method: "scram-sha-256" }),
    "clusters[0].postgres.hba[0].type",
    /^a 'host' rule with method scram-sha-256 admits connections without TLS; use hostssl \(TLS is required on every client path\), or method reject$/,
  ],
  [
    "an extra pg_hba hostnossl rule with md5",
    hba({ type: "hostnossl", database: "all", user: "all", address: "10.99.0.0/16", method: "md5" }),
    "clusters[0].postgres.hba[0].type",
    /^a 'hostnossl' rule with method md5 admits connections without TLS/,
  ],
];

describe("TLS settings pgha refuses", () => {
  it.each(cases)("%s", (_title, mutate, path, message) => expectRefused(mutate, path, message));

  it("accepts the boundaries: TLS on, a 2-day leaf renewed 1 day early, CA one day longer; host rules that reject", () => {
    expectAccepted(tls({ etcd: true, restApi: true, postgres: true }));
    expectAccepted(tls({ certificateValidityDays: 2, renewBeforeDays: 1, caValidityDays: 365 }));
    expectAccepted(tls({ certificateValidityDays: 364, renewBeforeDays: 363, caValidityDays: 365 }));
    expectAccepted(hba({ type: "hostnossl", database: "all", user: "all", address: "0.0.0.0/0", method: "reject" }));
    expectAccepted(hba({ type: "hostssl", database: "app", user: "report", address: "10.99.0.0/16", method: "scram-sha-256" }));
  });

  it("defaults: TLS on everywhere, one-year leaves renewed 30 days early, ten-year CA, as provider hours", () => {
    const t = parseTopology(base()).tls;
    expect(t).toEqual({
      etcd: true,
      restApi: true,
      postgres: true,
      certificateValidityDays: 365,
      renewBeforeDays: 30,
      caValidityDays: 3650,
    });
    expect(leafCertificateHours(t)).toEqual({ validityPeriodHours: 8760, earlyRenewalHours: 720 });
    expect(caCertificateHours(t)).toBe(87600);
  });
});

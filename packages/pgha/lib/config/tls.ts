import { z } from "zod";
import type { ConfigIssue } from "./errors";
import type { Topology } from "./topology";

/** The client-facing services pgha always serves over TLS, and why each cannot go without. */
const REQUIRED: Record<"etcd" | "restApi" | "postgres", string> = {
  etcd: "etcd's client port carries the DCS (leader lock, cluster config): TLS is required and cannot be turned off",
  restApi: "Patroni's REST API carries its basic-auth password and decides HAProxy's routing: TLS is required and cannot be turned off",
  postgres:
    "PostgreSQL and PgBouncer carry passwords and data over the network (pg_hba admits only hostssl): " +
    "TLS is required and cannot be turned off",
};

const HOURS_PER_DAY = 24;
/** The tls provider signs up to this far ahead; beyond a few decades X.509 tooling starts to disagree on GeneralizedTime. */
const MAX_CA_DAYS = 36500;
const MAX_LEAF_DAYS = 3650;

/**
 * TLS is on everywhere: the three switches stay in the schema (a stack that says `true` keeps
 * parsing) but `false` is refused by tlsIssues (a rule, like the lifetimes' relations, so the
 * schema keeps plain per-field bounds). Leaf certificates are renewed by `pulumi up` once they are
 * within `renewBeforeDays` of expiry (the tls provider's early_renewal_hours); the CA is not.
 */
export const tlsSpec = z
  .strictObject({
    etcd: z.boolean().default(true).describe("TLS between etcd peers and clients; always true (false is refused)."),
    restApi: z.boolean().default(true).describe("TLS on Patroni's REST API; always true (false is refused)."),
    postgres: z.boolean().default(true).describe("TLS for PostgreSQL and PgBouncer connections; always true (false is refused)."),
    certificateValidityDays: z
      .number()
      .int()
      .min(2)
      .max(MAX_LEAF_DAYS)
      .default(365)
      .describe("Lifetime of generated leaf (server and client) certificates in days: 2-3650; default 365."),
    renewBeforeDays: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe(
        "A `pulumi up` this many days or fewer before a leaf certificate expires replaces it with a new one: " +
          ">= 1, below certificateValidityDays; default 30.",
      ),
    caValidityDays: z
      .number()
      .int()
      .min(365)
      .max(MAX_CA_DAYS)
      .default(3650)
      .describe(
        "Lifetime of each cluster's CA certificate in days: 365-36500, above certificateValidityDays; default 3650. " +
          "Leaf renewals keep the CA.",
      ),
  })
  .prefault({});
export type TlsSpec = z.infer<typeof tlsSpec>;

/** `false` switches and lifetimes that cannot renew, with the field path under `tls`. */
export function tlsIssues(t: TlsSpec): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const key of ["etcd", "restApi", "postgres"] as const) if (!t[key]) issues.push({ path: `tls.${key}`, message: REQUIRED[key] });
  if (t.renewBeforeDays >= t.certificateValidityDays)
    issues.push({
      path: "tls.renewBeforeDays",
      message:
        `renewBeforeDays (${t.renewBeforeDays}) must be below certificateValidityDays (${t.certificateValidityDays}), ` +
        "or every pulumi up would replace every certificate",
    });
  if (t.caValidityDays <= t.certificateValidityDays)
    issues.push({
      path: "tls.caValidityDays",
      message:
        `caValidityDays (${t.caValidityDays}) must be above certificateValidityDays (${t.certificateValidityDays}): ` +
        "a leaf certificate cannot outlive the CA that signed it",
    });
  return issues;
}

/** The tls provider's hour-based settings for a leaf certificate. */
export function leafCertificateHours(t: Pick<TlsSpec, "certificateValidityDays" | "renewBeforeDays">): {
  validityPeriodHours: number;
  earlyRenewalHours: number;
} {
  return { validityPeriodHours: t.certificateValidityDays * HOURS_PER_DAY, earlyRenewalHours: t.renewBeforeDays * HOURS_PER_DAY };
}

/** The CA's validity in hours. No early renewal: replacing the CA replaces every leaf and breaks trust until all nodes have both. */
export function caCertificateHours(t: Pick<TlsSpec, "caValidityDays">): number {
  return t.caValidityDays * HOURS_PER_DAY;
}

/**
 * Extra pg_hba rules come before pgha's own (first match wins): a `host` or `hostnossl` rule that
 * admits a login would let a client in without TLS. Only `reject` is allowed on those types.
 */
export function hbaTlsIssues(t: Pick<Topology, "clusters">): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  t.clusters.forEach((c, i) =>
    c.postgres.hba.forEach((r, j) => {
      if ((r.type === "host" || r.type === "hostnossl") && r.method !== "reject")
        issues.push({
          path: `clusters[${i}].postgres.hba[${j}].type`,
          message:
            `a '${r.type}' rule with method ${r.method} admits connections without TLS; ` +
            "use hostssl (TLS is required on every client path), or method reject",
        });
    }),
  );
  return issues;
}

// What a TLS endpoint presents, seen from the lab client: `openssl s_client` (the tools image's)
// with the CA a client would trust; the certificate it printed and OpenSSL's verdict.
import { X509Certificate } from "node:crypto";
import { inClient } from "../cli/client";

export interface TlsEndpoint {
  /** e.g. "main-pg-0 postgres". */
  name: string;
  /** The node whose certificate this is (for a load balancer: the node behind it is not known in advance). */
  node?: string;
  host: string;
  port: number;
  /** PostgreSQL and PgBouncer speak TLS only after an SSLRequest. */
  starttls?: "postgres";
  caFile: string;
  /** A client certificate, where the endpoint asks for one (etcd). */
  client?: { certFile: string; keyFile: string };
}

export interface TlsObservation {
  serial?: string;
  /** OpenSSL verified the chain against caFile. */
  verified: boolean;
  error?: string;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** The first certificate s_client printed (the server's own) and whether verification returned 0. */
export function parseSClient(stdout: string): TlsObservation {
  const pem = PEM.exec(stdout)?.[0];
  const code = /Verify return code: (\d+) \(([^)]*)\)/.exec(stdout);
  if (!pem) return { verified: false, error: "no certificate presented" };
  const serial = new X509Certificate(pem).serialNumber.toUpperCase();
  return { serial, verified: code?.[1] === "0", error: code && code[1] !== "0" ? `verify: ${code[2]}` : undefined };
}

/** The argv that asks the endpoint for its certificate (stdin closed, so s_client ends after the handshake). */
export function sClientArgv(e: TlsEndpoint): string[] {
  const args = ["-connect", `${e.host}:${e.port}`, "-CAfile", e.caFile, "-verify_return_error"];
  if (e.starttls) args.push("-starttls", e.starttls);
  if (e.client) args.push("-cert", e.client.certFile, "-key", e.client.keyFile);
  return ["sh", "-c", 'exec openssl s_client "$@" </dev/null 2>&1', "s_client", ...args];
}

export async function observeTls(e: TlsEndpoint, timeoutMs = 8000): Promise<TlsObservation> {
  const r = await inClient(sClientArgv(e), { timeoutMs });
  const o = parseSClient(r.stdout);
  return o.serial || r.code === 0 ? o : { ...o, error: `${o.error ?? ""} (s_client exit ${r.code})`.trim() };
}

/** Leaf serials in PEM text (several certificates possible), upper-case hex as OpenSSL prints them. */
export function leafSerials(text: string): { leaves: string[]; cas: string[] } {
  const leaves: string[] = [];
  const cas: string[] = [];
  for (const m of text.matchAll(new RegExp(PEM.source, "g"))) {
    const c = new X509Certificate(m[0].replace(/\\n/g, "\n"));
    (c.ca ? cas : leaves).push(c.serialNumber.toUpperCase());
  }
  return { leaves, cas };
}

/**
 * Reloading renewed TLS files without restarting anything. A renewal (`pulumi up` after a leaf's
 * renewal date) delivers new certificate and key files through the node's secret; `pgha-secrets
 * refresh` rewrites the changed ones and prints their paths, and `pgha-reload-tls` (rendered here
 * from the node's own TLS files) reloads exactly the services that read them:
 *
 *   pgha-secrets refresh | pgha-reload-tls
 *
 * Each rule says why that reload is enough (sources in the comments of RULES).
 */
import { type NodeFile, PATHS, tlsFiles } from "./model";
import { UNITS, type UnitName } from "./systemd";

export const TLS_RELOAD_SCRIPT = "/usr/local/sbin/pgha-reload-tls";

/** Exit code of the script when a changed file has no rule (after reloading what it could). */
export const TLS_RELOAD_UNKNOWN_EXIT = 3;

export interface TlsReloadRule {
  path: string;
  /** Units to `systemctl reload`; empty when the service re-reads the file by itself. */
  units: UnitName[];
  why: string;
}

export type ReloadableTlsService = "patroni" | "postgres" | "etcd-client" | "etcd";

const WHY = {
  // Patroni 4 on SIGHUP: compares restapi.certfile's serial with the one it serves and, if it
  // changed, rebuilds the REST API's TLS context (patroni PRs #1887, #2004, #2722; api.py
  // reload_local_certificate). Only when patroni.yml itself is unchanged: a changed config takes
  // the other branch, which re-initializes the API only if its TLS options changed.
  patroni: "Patroni reloads its REST API certificate on SIGHUP when the certificate's serial changed",
  // Patroni's SIGHUP handler rewrites postgresql.conf and always runs pg_ctl reload
  // (postgresql/config.py reload_config(sighup=True)); PostgreSQL re-reads ssl_cert_file,
  // ssl_key_file and ssl_ca_file on every configuration reload, for new connections (docs,
  // "Secure TCP/IP Connections with SSL": read at server start and whenever the configuration
  // is reloaded). PgBouncer >= 1.16 rebuilds its client TLS context from the files on RELOAD /
  // SIGHUP (sbuf_tls_setup; pgbouncer PR #550); its pools to PostgreSQL are then recycled as
  // clients release them.
  postgres: "PostgreSQL (through Patroni's SIGHUP, which runs pg_ctl reload) and PgBouncer re-read their TLS files on reload",
  // Patroni's etcd client (python-etcd over urllib3) loads cert/key for each new connection; the
  // etcd CA does not change in a leaf renewal, so open connections stay valid.
  "etcd-client": "Patroni's etcd client loads its certificate for each new connection; nothing to reload",
  // etcd >= 3.2 loads its key pair for each new TLS handshake, client and peer (etcd docs,
  // op-guide/security "automatic certificate reload"; etcd issue #9541 for IP-addressed clients).
  etcd: "etcd loads its certificate for each new TLS handshake; nothing to reload",
} as const satisfies Record<ReloadableTlsService, string>;

function serviceUnits(service: ReloadableTlsService, pgbouncer: boolean): UnitName[] {
  if (service === "patroni") return [UNITS.patroni];
  if (service === "postgres") return pgbouncer ? [UNITS.patroni, UNITS.pgbouncer] : [UNITS.patroni];
  return [];
}

/** Rules for a Patroni or etcd node's TLS services (files shared by two services get both rules' units). */
export function serviceTlsReloadRules(services: ReloadableTlsService[], opts: { pgbouncer: boolean }): TlsReloadRule[] {
  const byPath = new Map<string, TlsReloadRule>();
  for (const service of services) {
    const f = tlsFiles(service);
    for (const path of [f.caFile, f.certFile, f.keyFile]) {
      const rule = byPath.get(path) ?? { path, units: [], why: WHY[service] };
      for (const u of serviceUnits(service, opts.pgbouncer)) if (!rule.units.includes(u)) rule.units.push(u);
      if (!rule.why.includes(WHY[service])) rule.why = `${rule.why}; ${WHY[service]}`;
      byPath.set(path, rule);
    }
  }
  return [...byPath.values()];
}

/**
 * HAProxy's TLS files (whatever of the node's files lies under the TLS directory, e.g. the CA it
 * verifies Patroni's REST API with): a reload (`haproxy -c`, then SIGUSR2 to the master, which
 * starts new workers on the same listening sockets) picks them up without dropping a connection.
 */
export function haproxyTlsReloadRules(files: NodeFile[]): TlsReloadRule[] {
  return files
    .filter((f) => f.path.startsWith(`${PATHS.tlsDir}/`))
    .map((f) => ({
      path: f.path,
      units: [UNITS.haproxy],
      why: "HAProxy re-reads its files on a reload (master-worker: new workers, same sockets)",
    }));
}

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;

/** The script: changed paths as arguments or one per line on stdin; each unit reloaded once, if active. */
export function renderTlsReloadScript(rules: TlsReloadRule[]): string {
  const arms: string[] = [];
  for (const r of rules) {
    if (!SAFE_PATH.test(r.path)) throw new Error(`TLS reload rule: unsafe path ${JSON.stringify(r.path)}`);
    const action = r.units.length > 0 ? r.units.map((u) => `want ${u}`).join("; ") : `echo "$1: ${r.why}"`;
    arms.push(`    # ${r.why}`, `    ${r.path}) ${action} ;;`);
  }
  return `#!/bin/sh
# pgha-reload-tls: reload, without restarting them, the services that read the TLS files named
# as arguments or one per line on stdin (\`pgha-secrets refresh | pgha-reload-tls\`).
# Rendered by pgha from this node's own TLS files. Exit 1: a reload failed; exit ${TLS_RELOAD_UNKNOWN_EXIT}: a
# changed file has no rule here (the rest was reloaded).
set -u
units=""
unknown=0
want() { case " $units " in *" $1 "*) ;; *) units="$units $1" ;; esac; }
changed() {
  case "$1" in
${arms.join("\n")}
    "") ;;
    *) echo "pgha-reload-tls: $1: no reload rule for this file" >&2; unknown=1 ;;
  esac
}
if [ "$#" -gt 0 ]; then
  for p in "$@"; do changed "$p"; done
else
  while IFS= read -r p; do changed "$p"; done
fi
rc=0
for u in $units; do
  if ! systemctl is-active --quiet "$u" >/dev/null 2>&1; then
    echo "$u: not active, not reloaded"
  elif systemctl reload "$u"; then
    echo "$u: reloaded"
  else
    echo "pgha-reload-tls: reloading $u failed" >&2
    rc=1
  fi
done
if [ "$rc" -eq 0 ] && [ "$unknown" -ne 0 ]; then rc=${TLS_RELOAD_UNKNOWN_EXIT}; fi
exit "$rc"
`;
}

/** The script as a node file (root-owned 0755: it runs as root, like pgha-secrets). */
export function tlsReloadFile(rules: TlsReloadRule[]): NodeFile {
  return { path: TLS_RELOAD_SCRIPT, content: renderTlsReloadScript(rules), owner: "root:root", permissions: "0755" };
}

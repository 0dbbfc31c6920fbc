/**
 * Rules on a cluster as a whole that only break once it runs: which members may lead or be
 * synchronous standbys, what a standby cluster can take from its source, where its load balancer
 * can exist, and where client VMs go.
 */
import { isSynchronous } from "./patroni";
import type { ClusterSpec, Topology } from "./topology";

type Add = (path: string, message: string) => void;

export function memberRules(t: Topology, c: ClusterSpec, p: string, add: Add): void {
  tagRules(c, p, add);
  standbySourceRules(t, c, p, add);
  if (c.loadBalancer.enabled && c.loadBalancer.scope === "global" && t.platform.kind === "yandex")
    add(
      `${p}.loadBalancer.scope`,
      "global needs a cross-region TCP load balancer, which Yandex Cloud does not have " +
        "(its Network Load Balancer is regional); use regional",
    );
}

/** Member names with a tag set, counting members without a nodeSettings entry as untagged. */
function tagged(c: ClusterSpec, tag: "nofailover" | "nosync"): string[] {
  return Array.from({ length: c.nodes }, (_, i) => i)
    .filter((i) => c.nodeSettings[i]?.tags?.[tag] === true)
    .map((i) => `${c.name}-pg-${i}`);
}

function tagRules(c: ClusterSpec, p: string, add: Add) {
  const members = `${c.nodes === 1 ? "the only member" : `all ${c.nodes} members`}`;
  if (tagged(c, "nofailover").length === c.nodes)
    add(
      `${p}.nodeSettings`,
      `${members} of cluster '${c.name}' ${c.nodes === 1 ? "has" : "have"} tags.nofailover: true, so none may take the leader lock: ` +
        "Patroni never bootstraps the cluster, and could never promote a member after a failure; leave at least one member without it",
    );
  const dcs = c.patroni.dcs;
  if (!isSynchronous(dcs) || c.nodes < 2) return;
  // A member never is its own synchronous standby: whichever eligible member leads, the others
  // must still cover synchronous_node_count.
  const nosync = tagged(c, "nosync");
  const eligible = c.nodes - nosync.length;
  if (eligible > dcs.synchronous_node_count) return;
  const outcome = dcs.synchronous_mode_strict
    ? "with synchronous_mode_strict every write then blocks"
    : "Patroni then silently runs the cluster asynchronously, losing the commits the standbys had not received on a failover";
  add(
    `${p}.nodeSettings`,
    `${nosync.length} of ${c.nodes} members have tags.nosync: true (${nosync.join(", ")}), leaving ${eligible} that may be ` +
      `synchronous standbys; while ${eligible === 0 ? "any member" : "one of them"} leads, fewer than synchronous_node_count ` +
      `(${dcs.synchronous_node_count}) remain, and ${outcome}; clear nosync on more members or turn synchronous_mode off`,
  );
}

/** A standby cluster is a physical copy of its source: same major, same roles and databases. */
function standbySourceRules(t: Topology, c: ClusterSpec, p: string, add: Add) {
  const source = c.standby ? t.clusters.find((x) => x.name === c.standby?.source) : undefined;
  if (!source || source === c) return;
  if (c.postgres.major !== source.postgres.major)
    add(
      `${p}.postgres.major`,
      `PostgreSQL ${c.postgres.major} cannot follow source '${source.name}' on PostgreSQL ${source.postgres.major}: ` +
        "physical replication works only within one major version; set the same major. To upgrade, pg_upgrade the source " +
        "(Patroni docs, existing_data.html 'Major Upgrade of PostgreSQL Version'), then rebuild the standby cluster on the new major",
    );
  const copied = `roles and databases are the source's, copied by physical replication; declare them on '${source.name}'`;
  if (c.postgres.roles.length > 0)
    add(`${p}.postgres.roles`, `standby cluster '${c.name}' cannot create roles: its ${copied} (got ${c.postgres.roles.length})`);
  if (c.postgres.databases.length > 0)
    add(
      `${p}.postgres.databases`,
      `standby cluster '${c.name}' cannot create databases: its ${copied} (got ${c.postgres.databases.length})`,
    );
  for (const key of ["superuser", "replication", "rewind"] as const) {
    const own = c.postgres.users[key];
    const theirs = source.postgres.users[key];
    if (own !== theirs)
      add(
        `${p}.postgres.users.${key}`,
        `'${own}' differs from source '${source.name}''s '${theirs}': a standby cluster's roles are the source's, ` +
          `so Patroni would log in as a role that does not exist there; use '${theirs}'`,
      );
  }
  if (c.pgbouncer.enabled && source.pgbouncer.enabled && c.pgbouncer.authUser !== source.pgbouncer.authUser)
    add(
      `${p}.pgbouncer.authUser`,
      `'${c.pgbouncer.authUser}' differs from source '${source.name}''s '${source.pgbouncer.authUser}': ` +
        `the auth_query role exists only as the source created it; use '${source.pgbouncer.authUser}'`,
    );
}

/** clients[i].subnet: a declared subnet in the client's region (ClientVm would otherwise fail at synth). */
export function clientRules(t: Topology, add: Add): void {
  t.clients.forEach((client, i) => {
    if (client.subnet === undefined) return;
    const subnet = t.subnets.find((s) => s.name === client.subnet);
    if (!subnet)
      add(
        `clients[${i}].subnet`,
        `unknown subnet '${client.subnet}'; declared: ${t.subnets.map((s) => `'${s.name}'`).join(", ") || "none"}`,
      );
    else if (subnet.region !== client.region)
      add(`clients[${i}].subnet`, `subnet '${subnet.name}' is in region '${subnet.region}', not the client's region '${client.region}'`);
  });
}

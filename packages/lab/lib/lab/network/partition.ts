// nftables ruleset for network partitions in the fabric namespace (pure).
// The whole table is rebuilt on every change: "declare, delete, recreate" in
// one `nft -f` transaction, so applying it is atomic and idempotent.

export interface PartitionRule {
  /** The partitioned node's address. */
  address: string;
  /** Addresses/CIDRs it must not exchange packets with. */
  peers: string[];
}

export const PARTITION_TABLE = "pgha_partition";

export function renderPartitionRuleset(rules: PartitionRule[]): string {
  const active = rules.filter((r) => r.peers.length > 0);
  const lines: string[] = [];
  // `bridge` sees same-subnet frames between veth ports; `ip` sees routed (cross-subnet) packets.
  for (const family of ["bridge", "ip"]) {
    lines.push(`table ${family} ${PARTITION_TABLE}`, `delete table ${family} ${PARTITION_TABLE}`);
    if (active.length === 0) continue;
    lines.push(`table ${family} ${PARTITION_TABLE} {`, "  chain forward {", "    type filter hook forward priority 0; policy accept;");
    for (const r of active) {
      const peers = `{ ${r.peers.join(", ")} }`;
      lines.push(`    ip saddr ${r.address} ip daddr ${peers} drop`, `    ip saddr ${peers} ip daddr ${r.address} drop`);
    }
    lines.push("  }", "}");
  }
  return `${lines.join("\n")}\n`;
}

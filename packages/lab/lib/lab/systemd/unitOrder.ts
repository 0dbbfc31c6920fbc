// Which units to start, and in which order (pure).
// Semantics follow systemd: Requires=/Wants=/BindsTo= pull units in, After=/
// Before= order them. The supervisor starts units one by one, so among units
// with no ordering between them we start the pulled-in dependency first,
// which also gives `Requires=` without `After=` a sensible order. Targets
// (network-online.target, ...) are not modelled: references to them are
// ignored.
import type { SystemdUnit } from "./systemdUnit";

function isTarget(name: string): boolean {
  return !name.endsWith(".service");
}

/** Units to start for `roots`, dependencies included, ordered for starting. Stop in reverse. */
export function startOrder(units: ReadonlyMap<string, SystemdUnit>, roots: string[]): string[] {
  // 1. Closure over pull-in dependencies, recording a dependencies-first preference.
  const preference: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string, requiredBy?: string, hard = true) => {
    if (seen.has(name) || isTarget(name)) return;
    const u = units.get(name);
    if (!u) {
      if (!hard) return; // Wants= on a missing unit is fine in systemd too
      throw new Error(requiredBy ? `${requiredBy} requires ${name}, which has no unit file` : `unit ${name} not found`);
    }
    seen.add(name);
    for (const d of [...u.requires, ...u.bindsTo]) visit(d, name, true);
    for (const d of u.wants) visit(d, name, false);
    preference.push(name);
  };
  for (const r of roots) visit(r);

  // 2. Ordering edges among the selected units: before -> after.
  const mustPrecede = new Map<string, Set<string>>(preference.map((n) => [n, new Set()]));
  for (const name of preference) {
    const u = units.get(name) as SystemdUnit;
    for (const a of u.after) if (seen.has(a)) mustPrecede.get(name)?.add(a);
    for (const b of u.before) if (seen.has(b)) mustPrecede.get(b)?.add(name);
  }

  // 3. Kahn's algorithm, picking the most preferred ready unit each time.
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < preference.length) {
    const next = preference.find((n) => !done.has(n) && [...(mustPrecede.get(n) ?? [])].every((p) => done.has(p)));
    if (!next) {
      const stuck = preference.filter((n) => !done.has(n));
      throw new Error(`ordering cycle among units: ${stuck.join(", ")}`);
    }
    done.add(next);
    order.push(next);
  }
  return order;
}

// First boot of a lab node with its image's own cloud-init (25.1, Debian 13) and a NoCloud seed
// in the node's /var/lib/cloud. What the lab changes, and why, is listed in LAB_REPLACEMENTS and
// printed by `pgha lab up`.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EGRESS_STAND_IN } from "../network/egress";
import type { LabContext } from "../cli/labContext";
import { nodeRootfs } from "./nodeView";
import { LAB_BINARY_CACHE } from "./pinnedBinaries";
import { MIRROR_URL } from "../cloud/mirror";
import { CLOUD_SECRET_STAND_INS, METADATA_STAND_IN, SECRET_API_TRUST_STAND_IN } from "../cloud/metadata/labMetadata";
import { NODE_STATE_DIR, type NodeSupervisorHandle, runInNode } from "../systemd/supervisorControl";
import { supervisorPaths } from "../systemd/supervisorProtocol";
import type { SynthPlanNode } from "../../synth/plan";
import { readUserData } from "../../synth/plan";

/** Exactly what differs from a cloud VM's first boot. */
export const LAB_REPLACEMENTS: string[] = [
  "VM: a network namespace on the planned IP and a copy-on-write root over a Debian 13 image the lab builds from Debian's archive " +
    "(mmdebstrap: minbase + cloud-init, systemd, ca-certificates, iproute2, procps, sudo, e2fsprogs), cached in /var/cache/pgha-lab",
  "package mirror: the image's apt names the lab's Debian 13 mirror (" +
    MIRROR_URL +
    ", signed by a key made for it) on the lab's stand-in internet, as a cloud's image names its cloud's mirror; " +
    "it holds exactly the packages pgha nodes install and their dependencies",
  "package installs: the node's own cloud-init runs apt-get update and install against that mirror; " +
    "the first install of each package set is kept as an image layer (keyed by the image, the mirror and the exact package list), " +
    "so later nodes with the same set and a path out boot over it and their apt finds the packages installed (a node without egress " +
    "boots on the bare image); what package scripts generate (ssl-cert's snakeoil key, unused by pgha) is then shared by those nodes",
  EGRESS_STAND_IN,
  "hostname: set in the node's own UTS namespace before cloud-init runs (cloud-init sets it again from the user-data); " +
    "the node sees the host's /dev (its data disk links in a private /dev/disk)",
  "datasource: NoCloud seed in the node's /var/lib/cloud/seed/nocloud (cloud VMs use the cloud's metadata service)",
  "network stage: 'network: {config: disabled}' - the lab network namespace already carries the planned IP",
  "cloud_init_modules limited to write_files, set_hostname, update_hostname, update_etc_hosts (skipped: seed_random, bootcmd, " +
    "growpart, resizefs, disk_setup, mounts, ca-certs, rsyslog, users-groups, ssh - no disk to grow, no sshd/default user in the lab)",
  "cloud_config_modules limited to apt_configure (keeping the image's sources), timezone, " +
    "runcmd (skipped: snap, ssh-import-id, keyboard, locale, set-passwords, grub-dpkg, ntp, byobu)",
  "cloud_final_modules limited to package_update_upgrade_install, write_files_deferred, " +
    "scripts_user, final_message (skipped: puppet/chef/..., power-state-change)",
  "systemd: a supervisor (Node, bound in under /run/pgha-lab) reads the installed units and runs them; " +
    "/usr/local/sbin/systemctl in the node forwards daemon-reload/enable/disable/start/stop/restart/is-active to it, " +
    "and reload (the unit's ExecReload=, with $MAINPID, as systemd runs it)",
  "timers (pgha-backup.timer): the supervisor schedules OnCalendar= (UTC or local) with Persistent=, " +
    "firing on the second (AccuracySec=/RandomizedDelaySec= ignored); other timer kinds are refused",
  "LimitNOFILE above the host's hard limit (20000 in this sandbox) is clamped to it",
  "data disk, yandex/gcp plans: a 4 GiB sparse file on a loop device, shown only inside the node at the planned " +
    "/dev/disk/by-id path; pgha-prepare-disk formats and mounts it itself; later boots mount it from the node's fstab",
  "pinned release binaries (WAL-G) are copied from " + LAB_BINARY_CACHE + " after their sha256 is checked, instead of downloaded",
  "cloud TCP load balancers (Yandex NLB, GCP LB) are an HAProxy (the tools image's) " +
    "in a namespace of their own on the planned frontend address, built from the plan's listeners, targets and health check",
  METADATA_STAND_IN,
  CLOUD_SECRET_STAND_INS["yandex-lockbox"],
  CLOUD_SECRET_STAND_INS["gcp-secret-manager"],
  SECRET_API_TRUST_STAND_IN,
];

const LAB_CLOUD_CFG = `# Written by pgha lab: the modules that make sense in a lab node (see 'pgha lab up' output).
datasource_list: [NoCloud, None]
network: {config: disabled}
# The image's apt sources name the lab's mirror; cloud-init must not replace them with its template.
apt:
  preserve_sources_list: true
cloud_init_modules:
  - write_files
  - set_hostname
  - update_hostname
  - update_etc_hosts
cloud_config_modules:
  - apt_configure
  - timezone
  - runcmd
cloud_final_modules:
  - package_update_upgrade_install
  - write_files_deferred
  - scripts_user
  - final_message
`;

/** systemctl stand-in: talks the supervisor's one-line JSON protocol over its control socket. */
export function systemctlShim(socketPath: string): string {
  return `#!/usr/bin/python3
# pgha lab: systemctl stand-in for a lab node. Forwards to the node's supervisor.
import json, os, re, socket, sys
SOCK = ${JSON.stringify(socketPath)}
UNIT_DIRS = ["/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"]

def call(req):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(SOCK)
    s.sendall((json.dumps(req) + "\\n").encode())
    buf = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    return json.loads(buf.decode())

def unit_name(u):
    return u if "." in u else u + ".service"

def wanted_by(unit):
    for d in UNIT_DIRS:
        p = os.path.join(d, unit)
        if os.path.exists(p):
            m = re.findall(r"^WantedBy=(.*)$", open(p).read(), re.M)
            return [t for line in m for t in line.split()] or ["multi-user.target"]
    return None

def main(argv):
    args = [a for a in argv if not a.startswith("-")]
    now = "--now" in argv
    if not args:
        print("usage: systemctl COMMAND [UNIT...]", file=sys.stderr)
        return 2
    cmd, units = args[0], [unit_name(u) for u in args[1:]]
    rc = 0
    if cmd == "daemon-reload":
        r = call({"op": "daemon-reload"})
        return 0 if r.get("ok") else 1
    for u in units:
        if cmd in ("enable", "disable"):
            targets = wanted_by(u)
            if targets is None:
                print("Failed to %s unit: Unit file %s does not exist." % (cmd, u), file=sys.stderr)
                rc = 1
                continue
            for t in targets:
                d = "/etc/systemd/system/%s.wants" % t
                link = os.path.join(d, u)
                if cmd == "enable":
                    os.makedirs(d, exist_ok=True)
                    if not os.path.lexists(link):
                        os.symlink("/etc/systemd/system/" + u, link)
                elif os.path.lexists(link):
                    os.unlink(link)
            if now:
                r = call({"op": "start" if cmd == "enable" else "stop", "unit": u})
                if not r.get("ok"):
                    print(r.get("error"), file=sys.stderr)
                    rc = 1
        elif cmd in ("start", "stop", "restart", "reload", "try-restart", "reload-or-restart"):
            op = {"try-restart": "restart", "reload-or-restart": "restart"}.get(cmd, cmd)
            r = call({"op": op, "unit": u})
            if not r.get("ok"):
                print("Job for %s failed: %s" % (u, r.get("error")), file=sys.stderr)
                rc = 1
        elif cmd in ("is-active", "status"):
            st = call({"op": "status"})["status"]
            found = [x for x in st["units"] if x["unit"] == u]
            state = found[0]["state"] if found else "inactive"
            print(state)
            if state != "active":
                rc = 3
        else:
            print("pgha lab systemctl: unsupported command %s" % cmd, file=sys.stderr)
            return 1
    return rc

sys.exit(main(sys.argv[1:]))
`;
}

/** Host side, before the supervisor boots the node: seed, cloud.cfg override, systemctl shim (into the node's own files). */
export function prepareFirstBoot(ctx: LabContext, node: SynthPlanNode): void {
  const root = nodeRootfs(ctx.labDir, node.name);
  const seed = join(root, "var/lib/cloud/seed/nocloud");
  mkdirSync(seed, { recursive: true });
  writeFileSync(join(seed, "user-data"), readUserData(ctx.planDir, node), { mode: 0o600 });
  writeFileSync(join(seed, "meta-data"), `instance-id: pgha-lab-${node.name}\nlocal-hostname: ${node.name}\n`);
  const cfgDir = join(root, "etc/cloud/cloud.cfg.d");
  mkdirSync(cfgDir, { recursive: true });
  writeFileSync(join(cfgDir, "99-pgha-lab.cfg"), LAB_CLOUD_CFG);
  const sbin = join(root, "usr/local/sbin");
  mkdirSync(sbin, { recursive: true });
  const shim = join(sbin, "systemctl");
  writeFileSync(shim, systemctlShim(supervisorPaths(NODE_STATE_DIR).socket));
  chmodSync(shim, 0o755);
}

const NODE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Run cloud-init's four boot stages inside the node; returns the combined output (no secrets: cloud-init does not echo user-data). */
export async function runCloudInit(h: NodeSupervisorHandle): Promise<string> {
  const env = { PATH: NODE_PATH, LANG: "C.UTF-8", HOME: "/root" };
  let out = "";
  for (const stage of [["init", "--local"], ["init"], ["modules", "--mode", "config"], ["modules", "--mode", "final"]]) {
    const r = await runInNode(h, ["/usr/bin/cloud-init", ...stage], { env, timeoutMs: 180_000 });
    out += r.stdout + r.stderr;
  }
  return out;
}

/** cloud-init's own verdict (status.json/result.json) from inside the node. */
export async function cloudInitErrors(h: NodeSupervisorHandle): Promise<string[]> {
  const r = await runInNode(h, ["cat", "/var/lib/cloud/data/result.json"], { env: { PATH: NODE_PATH } });
  const res = JSON.parse(r.stdout) as { v1: { errors: string[] } };
  return res.v1.errors;
}

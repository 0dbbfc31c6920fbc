import { describe, expect, it } from "vitest";
import { parseTopology, planAddresses } from "../config";
import {
  KEEPALIVED_PID_FILES,
  keepalivedArgs,
  keepalivedNodeFiles,
  renderKeepalivedCheckScript,
  renderKeepalivedConf,
  vrrpAuthPass,
} from "./keepalived";
import type { HaproxyNodeModel } from "./model";

function model(index: 0 | 1 = 0, authPass = "s3cretLongerThan8"): HaproxyNodeModel {
  const t = parseTopology({
    name: "t",
    platform: { kind: "local" },
    regions: [{ name: "r", zones: ["a", "b", "c"] }],
    subnets: [{ name: "s", region: "r", cidr: "10.1.0.0/24" }],
    clusters: [{ name: "main-db", region: "r", haproxy: { keepalived: { interface: "ens5", virtualRouterId: 77 } } }],
  });
  const plan = planAddresses(t);
  const c = t.clusters[0];
  const member = (n: { name: string; ip: string }) => ({ name: n.name, ip: n.ip });
  const haproxies = plan.nodes.filter((n) => n.role === "haproxy").map(member);
  return {
    cluster: c.name,
    spec: c.haproxy,
    node: haproxies[index],
    peers: haproxies,
    backends: plan.nodes.filter((n) => n.role === "patroni").map(member),
    backendPort: 6432,
    patroniRestPort: 8008,
    restApiTls: true,
    restApiCaCert: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
    vip: { ip: plan.vips[0].ip, prefixLength: 24, priority: c.haproxy.keepalived.priority - 10 * index, authPass },
  };
}

/** Whitespace-normalised lines, so assertions do not depend on indentation. */
const lines = (s: string) => s.split("\n").map((l) => l.trim().replace(/\s+/g, " "));

describe("renderKeepalivedConf", () => {
  const conf = renderKeepalivedConf(model(0));
  const l = lines(conf);

  it("runs the check script securely, as a named user", () => {
    expect(l).toEqual(expect.arrayContaining(["enable_script_security", "script_user root", "router_id main-db-haproxy-0"]));
  });

  it("tracks HAProxy with a script whose failure faults the node (weight 0)", () => {
    expect(conf).toMatch(
      /vrrp_script chk_haproxy \{\n\s+script "\/etc\/keepalived\/check_haproxy.sh"\n\s+interval 1\n\s+timeout 1\n\s+fall 3\n\s+rise 2\n\s+weight 0\n/,
    );
    expect(conf).toMatch(/track_script \{\n\s+chk_haproxy\n/);
  });

  it("is a unicast BACKUP/nopreempt instance with this node's priority, address and peer", () => {
    expect(l).toEqual(
      expect.arrayContaining([
        "vrrp_instance pgha_main_db {",
        "state BACKUP",
        "nopreempt",
        "interface ens5",
        "virtual_router_id 77",
        "priority 150",
        "advert_int 1",
        "unicast_src_ip 10.1.0.42",
        "10.1.0.43",
        "10.1.0.44/24 dev ens5",
      ]),
    );
    expect(conf).toMatch(/unicast_peer \{\n\s+10\.1\.0\.43\n\s+\}/);
    const other = lines(renderKeepalivedConf(model(1)));
    expect(other).toEqual(expect.arrayContaining(["priority 140", "unicast_src_ip 10.1.0.43", "state BACKUP"]));
    expect(other).not.toContain("unicast_src_ip 10.1.0.42");
  });

  it("uses PASS auth with the first 8 characters of the secret", () => {
    expect(l).toEqual(expect.arrayContaining(["auth_type PASS", "auth_pass s3cretLo"]));
    expect(conf).not.toContain("s3cretLongerThan8");
  });

  it("refuses a model without VIP, without peer, or with a secret keepalived cannot parse", () => {
    expect(() => renderKeepalivedConf({ ...model(0), vip: null })).toThrow("no VIP");
    const vip = model(0).vip as NonNullable<HaproxyNodeModel["vip"]>;
    expect(() => renderKeepalivedConf({ ...model(0), vip: { ...vip, prefixLength: undefined as unknown as number } })).toThrow(
      "prefix length",
    );
    expect(() => renderKeepalivedConf({ ...model(0), vip: { ...vip, priority: 255 } })).toThrow("priority 255");
    expect(() => renderKeepalivedConf({ ...model(0), peers: [model(0).node] })).toThrow("no unicast peer");
    expect(() => renderKeepalivedConf({ ...model(0), peers: [model(1).node] })).toThrow("is not one of the peers");
    expect(() => renderKeepalivedConf(model(0, "has space"))).toThrow("auth password");
    expect(() => renderKeepalivedConf(model(0, "#comment"))).toThrow("auth password");
  });
});

describe("vrrpAuthPass", () => {
  it("keeps short secrets whole and truncates long ones to 8", () => {
    expect(vrrpAuthPass("abc")).toBe("abc");
    expect(vrrpAuthPass("abcdefghij")).toBe("abcdefgh");
    expect(() => vrrpAuthPass("")).toThrow();
  });
});

describe("renderKeepalivedCheckScript", () => {
  const script = renderKeepalivedCheckScript(model(0));
  it("asks HAProxy's monitor port for /alive over loopback with bash only", () => {
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("exec 3<>/dev/tcp/127.0.0.1/7001 || exit 1");
    expect(script).toContain("printf 'GET /alive HTTP/1.0\\r\\n\\r\\n' >&3");
    expect(script).toContain('"HTTP/1."?" 200"*) exit 0 ;;');
    const commands = script.split("\n").filter((l) => !l.startsWith("#"));
    expect(commands.join("\n")).not.toMatch(/curl|wget|nc /);
  });
});

describe("keepalived service facts", () => {
  it("runs VRRP only in the foreground with its own pid files", () => {
    expect(keepalivedArgs()).toEqual([
      "--dont-fork",
      "--log-console",
      "--no-syslog",
      "--vrrp",
      "--use-file",
      "/etc/keepalived/keepalived.conf",
      "--pid",
      KEEPALIVED_PID_FILES.main,
      "--vrrp_pid",
      KEEPALIVED_PID_FILES.vrrp,
    ]);
  });

  it("writes the config 0600 (it holds the VRRP password) and the script 0755 root", () => {
    expect(keepalivedNodeFiles(model(0)).map((f) => [f.path, f.owner, f.permissions])).toEqual([
      ["/etc/keepalived/keepalived.conf", "root:root", "0600"],
      ["/etc/keepalived/check_haproxy.sh", "root:root", "0755"],
    ]);
  });
});

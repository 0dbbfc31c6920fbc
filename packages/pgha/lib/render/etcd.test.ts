import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { etcdMemberModel, labTopology } from "../../../../test/support/fixtures";
import { etcdConfig, etcdEndpoints, etcdHostPorts, renderEtcdConfig } from "./etcd";

const t = labTopology();
const parse11 = (text: string) => YAML.parse(text, { version: "1.1" });

describe("renderEtcdConfig", () => {
  const y = parse11(renderEtcdConfig(etcdMemberModel(t, 1)));

  it("names the member and lists every member in initial-cluster", () => {
    expect(y).toMatchObject({
      name: "lab-etcd-1",
      "data-dir": "/var/lib/etcd",
      "initial-cluster": "lab-etcd-0=https://10.77.1.10:2380,lab-etcd-1=https://10.77.1.11:2380,lab-etcd-2=https://10.77.1.12:2380",
      "initial-cluster-token": "lab-etcd",
      "initial-cluster-state": "new",
    });
  });

  it("peers on the node IP; clients on the node IP and loopback; advertises the node IP only", () => {
    expect(y["listen-peer-urls"]).toBe("https://10.77.1.11:2380");
    expect(y["initial-advertise-peer-urls"]).toBe("https://10.77.1.11:2380");
    expect(y["listen-client-urls"]).toBe("https://10.77.1.11:2379,https://127.0.0.1:2379");
    expect(y["advertise-client-urls"]).toBe("https://10.77.1.11:2379");
  });

  it("timing, quota, compaction, v2 off, v3 JSON gateway on", () => {
    expect(y).toMatchObject({
      "heartbeat-interval": 100,
      "election-timeout": 1000,
      "quota-backend-bytes": 2 * 1024 ** 3,
      "auto-compaction-mode": "periodic",
      "auto-compaction-retention": "1h",
      "enable-v2": false,
      "enable-grpc-gateway": true,
      logger: "zap",
    });
  });

  it("mutual TLS for clients and peers, written out twice (no YAML aliases)", () => {
    const security = {
      "cert-file": "/etc/pgha/tls/etcd.crt",
      "key-file": "/etc/pgha/tls/etcd.key",
      "trusted-ca-file": "/etc/pgha/tls/etcd-ca.crt",
      "client-cert-auth": true,
    };
    expect(y["client-transport-security"]).toEqual(security);
    expect(y["peer-transport-security"]).toEqual(security);
    expect(renderEtcdConfig(etcdMemberModel(t, 1))).not.toMatch(/[&*]a\d/);
  });

  it("without TLS: http URLs and no transport security", () => {
    // The config refuses tls.etcd false; the renderer still renders such a model.
    const parsed = labTopology((i) => {
      i.etcd = { members: 3, clientPort: 12379, peerPort: 12380, heartbeatIntervalMs: 200, electionTimeoutMs: 2000 };
    });
    const plain = { ...parsed, tls: { ...parsed.tls, etcd: false } };
    const p = parse11(renderEtcdConfig(etcdMemberModel(plain, 0)));
    expect(p["listen-client-urls"]).toBe("http://10.77.1.10:12379,http://127.0.0.1:12379");
    expect(p["listen-peer-urls"]).toBe("http://10.77.1.10:12380");
    expect(p).toMatchObject({ "heartbeat-interval": 200, "election-timeout": 2000 });
    expect(p).not.toHaveProperty("client-transport-security");
    expect(p).not.toHaveProperty("peer-transport-security");
  });

  it("a loopback member listens on loopback once", () => {
    const m = etcdMemberModel(t, 0);
    const lo = { ...m, node: { name: m.node.name, ip: "127.0.0.1" }, members: [{ name: m.node.name, ip: "127.0.0.1" }] };
    expect(etcdConfig(lo)["listen-client-urls"]).toBe("https://127.0.0.1:2379");
  });

  it("refuses a member missing from its own initial-cluster", () => {
    const m = etcdMemberModel(t, 0);
    expect(() => renderEtcdConfig({ ...m, members: m.members.slice(1) })).toThrow(/not in its own initial-cluster/);
  });
});

describe("etcd endpoints", () => {
  const members = [
    { name: "a", ip: "10.0.0.1" },
    { name: "b", ip: "10.0.0.2" },
  ];
  it("client URLs with the scheme for etcdctl, host:port for Patroni", () => {
    expect(etcdEndpoints(members, 2379, true)).toEqual(["https://10.0.0.1:2379", "https://10.0.0.2:2379"]);
    expect(etcdEndpoints(members, 2379, false)).toEqual(["http://10.0.0.1:2379", "http://10.0.0.2:2379"]);
    expect(etcdHostPorts(members, 2379)).toEqual(["10.0.0.1:2379", "10.0.0.2:2379"]);
  });
});

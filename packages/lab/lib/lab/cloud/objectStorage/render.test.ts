import { describe, expect, it } from "vitest";
import { endpointHosts } from "./labObjectStorage";
import { bundleWithLabCa, hostsTemplateWithBlock, hostsTemplateWithStorage } from "./nodeTrust";
import { beastFrontend, renderRgwConf } from "./rgw";
import { subjectAltName } from "./tls";

describe("RGW conf", () => {
  it("dbstore for data and config, one beast endpoint, TLS files under the state mount", () => {
    const conf = renderRgwConf({ address: "198.51.100.3", port: 443, tls: { certFile: "tls/server.pem", keyFile: "tls/server.key" } });
    expect(conf).toContain("rgw_backend_store = dbstore");
    expect(conf).toContain("rgw_config_store = dbstore");
    expect(conf).toContain(
      "rgw_frontends = beast ssl_endpoint=198.51.100.3:443 " +
        "ssl_certificate=/var/lib/pgha-rgw/tls/server.pem ssl_private_key=/var/lib/pgha-rgw/tls/server.key",
    );
    expect(beastFrontend({ address: "127.0.0.1", port: 7480 })).toBe("beast endpoint=127.0.0.1:7480");
  });
});

describe("endpointHosts", () => {
  it("one port for every endpoint, https only", () => {
    expect(endpointHosts(["https://storage.yandexcloud.net"])).toEqual({ hosts: ["storage.yandexcloud.net"], port: 443 });
    expect(() => endpointHosts(["http://minio.local:9000"])).toThrow(/https only/);
    expect(() => endpointHosts(["https://a", "https://b:8443"])).toThrow(/several ports/);
  });
});

describe("node trust stand-ins", () => {
  it("appends the endpoint names to cloud-init's hosts template once", () => {
    const tmpl = "127.0.1.1 {{fqdn}} {{hostname}}\n127.0.0.1 localhost\n";
    const once = hostsTemplateWithStorage(tmpl, "198.51.100.3", ["storage.yandexcloud.net"]);
    expect(once).toMatch(/^127\.0\.1\.1 \{\{fqdn\}\}/);
    expect(once.trimEnd().split("\n").at(-1)).toBe("198.51.100.3 storage.yandexcloud.net");
    expect(hostsTemplateWithStorage(once, "198.51.100.3", ["storage.yandexcloud.net"])).toBe(once);
  });

  it("keeps another stand-in's block when one block is set again", () => {
    const tmpl = "127.0.0.1 localhost\n";
    const storage = hostsTemplateWithStorage(tmpl, "198.51.100.3", ["storage.yandexcloud.net"]);
    const both = hostsTemplateWithBlock(storage, "# secrets", "169.254.169.254 payload.lockbox.api.cloud.yandex.net");
    expect(hostsTemplateWithStorage(both, "198.51.100.3", ["storage.yandexcloud.net"]).split("\n").sort()).toEqual(both.split("\n").sort());
    expect(hostsTemplateWithBlock(both, "# secrets", "169.254.169.254 other.example")).toBe(
      `${storage}\n# secrets\n169.254.169.254 other.example\n`,
    );
    expect(both).toContain("198.51.100.3 storage.yandexcloud.net\n");
  });

  it("adds the lab CA to the bundle once", () => {
    const ca = "-----BEGIN CERTIFICATE-----\nLAB\n-----END CERTIFICATE-----\n";
    const bundle = "-----BEGIN CERTIFICATE-----\nPUBLIC\n-----END CERTIFICATE-----\n";
    const once = bundleWithLabCa(bundle, ca);
    expect(once).toBe(`${bundle}${ca}`);
    expect(bundleWithLabCa(once, ca)).toBe(once);
  });

  it("certificate names: DNS for names, IP for addresses", () => {
    expect(subjectAltName(["storage.yandexcloud.net", "198.51.100.3"])).toBe("DNS:storage.yandexcloud.net,IP:198.51.100.3");
  });
});

import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { requirePeer } from "./peer";

describe("requirePeer", () => {
  it("names the platform and the install command when the package is missing", () => {
    const peer = { name: "@pgha-test/no-such-sdk", range: "^1" };
    expect(() => requirePeer(peer, "gcp")).toThrow(
      "platform gcp needs the optional peer dependency @pgha-test/no-such-sdk: npm install @pgha-test/no-such-sdk@^1",
    );
  });

  it("rethrows a module missing inside an installed peer unchanged", () => {
    const inner = Object.assign(new Error("Cannot find module 'grpc-shim'\nRequire stack: ..."), { code: "MODULE_NOT_FOUND" });
    const load = () => {
      throw inner;
    };
    expect(() => requirePeer({ name: "@pulumi/gcp", range: "^9" }, "gcp", load)).toThrow(inner);
  });

  it("returns the module when it loads", () => {
    expect(requirePeer<{ Output: unknown }>({ name: "@pulumi/pulumi", range: "^3" }, "any").Output).toBeDefined();
  });
});

describe("cloud SDKs are loaded only for the platforms that need them", () => {
  // A fresh process: this one has already loaded whatever other tests imported.
  const root = path.join(__dirname, "..", "..", "..", "..");
  const loaded = (script: string): Record<string, number> => {
    const program = `
      const count = (re) => Object.keys(require.cache).filter((k) => re.test(k)).length;
      const sdks = () => ({ gcp: count(/[\\\\/]@pulumi[\\\\/]gcp[\\\\/]/), kubernetes: count(/[\\\\/]@pulumi[\\\\/]kubernetes[\\\\/]/) });
      ${script}
    `;
    const out = execFileSync(path.join(root, "node_modules", ".bin", "tsx"), ["-e", program], { cwd: root, encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop() as string);
  };

  it("importing pgha loads neither @pulumi/gcp nor @pulumi/kubernetes; a yandex platform does not either; gcp and gke do", () => {
    const counts = loaded(
      `
      require("./packages/pgha/lib/index.ts");
      const { createPlatform } = require("./packages/pgha/lib/platform/index.ts");
      const atImport = sdks();
      createPlatform("yandex", { folderId: "f" });
      const yandex = sdks();
      createPlatform("gcp", { project: "p" });
      const gcp = sdks();
      createPlatform("gke", { project: "p" });
      const gke = sdks();
      console.log(JSON.stringify({ importGcp: atImport.gcp, importK8s: atImport.kubernetes, yandexGcp: yandex.gcp, ` +
        `yandexK8s: yandex.kubernetes, gcpGcp: gcp.gcp, gcpK8s: gcp.kubernetes, gkeK8s: gke.kubernetes }));
    `,
    );
    expect({ ...counts, gcpGcp: counts.gcpGcp > 0, gkeK8s: counts.gkeK8s > 0 }).toEqual({
      importGcp: 0,
      importK8s: 0,
      yandexGcp: 0,
      yandexK8s: 0,
      gcpGcp: true,
      gcpK8s: 0,
      gkeK8s: true,
    });
  });
});

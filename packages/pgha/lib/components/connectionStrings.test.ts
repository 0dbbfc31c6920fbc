/**
 * What a stack exports to connect with: the application role's libpq URL through the front-most
 * endpoint with sslmode=verify-full against the cluster CA, the CA itself; never the superuser's.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { composeTopology } from ".";
import { loadStack, resolve } from "./testing";
import { useComponentMocks } from "./testMocks";

const rec = useComponentMocks();

async function outputs(env: string) {
  const { topology, cloud } = loadStack(env);
  const stack = composeTopology(topology, cloud, rec.parent(env));
  const [connectionStrings, caCertificates] = await Promise.all([resolve(stack.connectionStrings), resolve(stack.caCertificates)]);
  await rec.settled();
  return { topology, stack, connectionStrings, caCertificates };
}

describe("exported connection strings", () => {
  it("lab: the app role through the VIP's primary listener, verify-full against main's CA; none for the role-less standby", async () => {
    const { stack, connectionStrings, caCertificates } = await outputs("lab");
    expect(await pulumi.isSecret(stack.connectionStrings)).toBe(true);
    expect(Object.keys(connectionStrings)).toEqual(["main"]);
    expect(connectionStrings.main).toMatch(
      /^postgresql:\/\/app:[^@]+@10\.77\.1\.44:5000\/app\?sslmode=verify-full&sslrootcert=main-ca\.crt$/,
    );
    expect(Object.keys(caCertificates).sort()).toEqual(["dr", "main"]);
    expect(caCertificates.main).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it.each(["lab", "yc-homework", "gcp-dr"])("%s: no exported string carries the superuser or its password", async (env) => {
    const { topology, connectionStrings } = await outputs(env);
    for (const [cluster, url] of Object.entries(connectionStrings)) {
      const spec = topology.clusters.find((c) => c.name === cluster);
      expect(url).not.toContain(`//${spec?.postgres.users.superuser}:`);
      // Mock passwords carry their resource's name: the role's is in, the superuser's is not.
      expect(url).toContain(`pw${cluster}role`);
      expect(url).not.toContain("superuser");
      expect(url).toMatch(/sslmode=verify-full&sslrootcert=/);
      expect(url).not.toMatch(/sslmode=(disable|allow|prefer|require)\b/);
    }
  });
});

import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { serviceAccountId } from "./identity";
import { gkeKubeconfig } from "./kubeconfig";

describe("GKE kubeconfig", () => {
  test("authenticates with gke-gcloud-auth-plugin and carries no credential", () => {
    const text = gkeKubeconfig({ context: "gke_p_europe-west1_c", endpoint: "34.1.2.3", caCertificate: "Q0E=" });
    const k = parse(text);
    expect(k.clusters).toEqual([
      { name: "gke_p_europe-west1_c", cluster: { server: "https://34.1.2.3", "certificate-authority-data": "Q0E=" } },
    ]);
    expect(k.users[0].user).toEqual({
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "gke-gcloud-auth-plugin",
        installHint: expect.stringContaining("gke-gcloud-auth-plugin"),
        provideClusterInfo: true,
      },
    });
    expect(k["current-context"]).toBe("gke_p_europe-west1_c");
    expect(text).not.toMatch(/token|password|client-key/);
  });
});

describe("GCP service account ids", () => {
  test("6-30 characters, lowercase, stable, unique after truncation", () => {
    expect(serviceAccountId("gkedr-main-pg")).toBe("gkedr-main-pg");
    const long = serviceAccountId("a-very-long-topology-name-main-cluster-pg");
    const other = serviceAccountId("a-very-long-topology-name-main-cluster-pg2");
    for (const id of [long, other, serviceAccountId("db")]) expect(id).toMatch(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
    expect(long).not.toBe(other);
    expect(serviceAccountId("a-very-long-topology-name-main-cluster-pg")).toBe(long);
  });
});

/**
 * Kubeconfig for a GKE cluster in the exec-plugin form Google requires since Kubernetes
 * 1.26 (gke-gcloud-auth-plugin mints short-lived tokens from the caller's gcloud / ADC
 * credentials); the same shape the current Pulumi GKE examples render. No secret in it:
 * the CA certificate is public and the token is fetched at use.
 */
import { stringify } from "yaml";

export interface GkeEndpoint {
  /** Context/cluster/user name, e.g. `gke_<project>_<location>_<cluster>` as gcloud names it. */
  context: string;
  /** Control-plane address (IP or DNS name) without scheme. */
  endpoint: string;
  /** Base64 PEM of the cluster CA (`masterAuth.clusterCaCertificate`). */
  caCertificate: string;
}

export const GKE_AUTH_PLUGIN = {
  apiVersion: "client.authentication.k8s.io/v1beta1",
  command: "gke-gcloud-auth-plugin",
  installHint:
    "Install gke-gcloud-auth-plugin: https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin",
  provideClusterInfo: true,
} as const;

export function gkeKubeconfig(e: GkeEndpoint): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: e.context, cluster: { server: `https://${e.endpoint}`, "certificate-authority-data": e.caCertificate } }],
    users: [{ name: e.context, user: { exec: { ...GKE_AUTH_PLUGIN } } }],
    contexts: [{ name: e.context, context: { cluster: e.context, user: e.context } }],
    "current-context": e.context,
    preferences: {},
  });
}

/**
 * The pgha stack program: reads `pgha:topology` (and optional `pgha:cloud`) from
 * stacks/Pulumi.<env>.yaml, validates it, composes the components and exports endpoints.
 * A configuration mistake throws ConfigError, which Pulumi prints as a RunError: its
 * `path: message` lines, without a stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import { composeTopology, parseTopology, type PlatformSettings } from "pgha";

function main() {
  const config = new pulumi.Config("pgha");
  const topology = parseTopology(config.requireObject("topology"), `invalid stack configuration pgha:topology (${pulumi.getStack()})`);
  const stack = composeTopology(topology, { ...(config.getObject<PlatformSettings>("cloud") ?? {}), gke: config.getObject("gke") });
  return {
    endpoints: stack.endpoints,
    connectionStrings: stack.connectionStrings,
    caCertificates: stack.caCertificates,
    nodes: stack.nodes.apply((nodes) => nodes.map(({ userData: _u, ...n }) => n)),
    loadBalancers: stack.loadBalancers,
    standbyLinks: stack.standbyLinks,
  };
}

const stack = main();
export const endpoints = stack.endpoints;
export const connectionStrings = stack.connectionStrings;
/** Per cluster: the CA to save as `<cluster>-ca.crt`, the sslrootcert the connection strings name. */
export const caCertificates = stack.caCertificates;
export const nodes = stack.nodes;
export const loadBalancers = stack.loadBalancers;
export const standbyLinks = stack.standbyLinks;

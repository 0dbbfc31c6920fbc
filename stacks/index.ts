/**
 * The pgha stack program: reads `pgha:topology` (and optional `pgha:cloud`) from
 * stacks/Pulumi.<env>.yaml, validates it, composes the components and exports endpoints.
 */
import * as pulumi from "@pulumi/pulumi";
import { exitOnConfigError, parseTopology } from "../lib/config";
import { composeTopology } from "../lib/components";
import type { PlatformSettings } from "../lib/platform";

function main() {
  const config = new pulumi.Config("pgha");
  const topology = parseTopology(config.requireObject("topology"), `invalid stack configuration pgha:topology (${pulumi.getStack()})`);
  const stack = composeTopology(topology, { ...(config.getObject<PlatformSettings>("cloud") ?? {}), gke: config.getObject("gke") });
  return {
    endpoints: stack.endpoints,
    connectionStrings: stack.connectionStrings,
    nodes: stack.nodes.apply((nodes) => nodes.map(({ userData: _u, ...n }) => n)),
    loadBalancers: stack.loadBalancers,
    standbyLinks: stack.standbyLinks,
  };
}

let outputs: ReturnType<typeof main> | undefined;
try {
  outputs = main();
} catch (e) {
  exitOnConfigError(e);
}
export const endpoints = outputs?.endpoints;
export const connectionStrings = outputs?.connectionStrings;
export const nodes = outputs?.nodes;
export const loadBalancers = outputs?.loadBalancers;
export const standbyLinks = outputs?.standbyLinks;

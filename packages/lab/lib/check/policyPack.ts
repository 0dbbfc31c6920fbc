/**
 * The plan check's rules as Pulumi policies, so `pulumi preview --policy-pack
 * <pgha>/lib/check/policy-pack` enforces them on a user's own program: unmet needs and
 * exposures are mandatory violations, assumptions advisory. The policy sees resources, not the
 * stack file: what the stack declares (admin sources, IAP, public load balancers) is the
 * policy's config.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { Topology } from "pgha/config";
import { checkPlan } from "./checkPlan";
import type { Finding, Severity } from "./findings";
import { type PolicyResourceLike, planFromPolicyResources } from "./policyPlan";

/** Policy config: what a stack file would have declared. */
export interface PghaPolicyConfig {
  adminCidrs?: string[];
  iap?: boolean;
  /** Load balancers (pgha cluster names) declared `exposure: public`. */
  publicLoadBalancers?: { name: string; sourceRanges: string[]; publicDirect?: boolean }[];
}

const CONFIG_SCHEMA = {
  properties: {
    adminCidrs: { type: "array", items: { type: "string" }, default: [] },
    iap: { type: "boolean", default: false },
    publicLoadBalancers: {
      type: "array",
      default: [],
      items: {
        type: "object",
        properties: {
          name: { type: "string" },
          sourceRanges: { type: "array", items: { type: "string" } },
          publicDirect: { type: "boolean" },
        },
      },
    },
  },
} as const;

/** The declared fields the rules read, as a stack's topology would carry them. */
export function declaredTopology(config: PghaPolicyConfig): Topology {
  return {
    platform: { adminCidrs: config.adminCidrs ?? [], iap: config.iap ?? false, egress: "nat", sshKeys: [], clientCidrs: [] },
    clusters: (config.publicLoadBalancers ?? []).map((lb) => ({
      name: lb.name,
      loadBalancer: {
        enabled: true,
        scope: "regional",
        exposure: "public",
        sourceRanges: lb.sourceRanges,
        publicDirect: lb.publicDirect ?? false,
      },
    })),
  } as unknown as Topology;
}

export function toPolicyResourceLike(r: PolicyResource): PolicyResourceLike {
  const deps: PolicyResourceLike["propertyDependencies"] = {};
  for (const [key, list] of Object.entries(r.propertyDependencies ?? {}))
    deps[key] = list.map((d) => ({ name: d.name, type: d.type, urn: d.urn }));
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.props,
    parent: r.parent ? { name: r.parent.name, type: r.parent.type } : undefined,
    provider: r.provider,
    propertyDependencies: deps,
  };
}

/** Findings of the check on the resources a policy sees, with the node user-data unknown in this preview as assumptions. */
export function checkPolicyResources(resources: PolicyResourceLike[], config: PghaPolicyConfig, stack = "policy"): Finding[] {
  const { plan, userData } = planFromPolicyResources(stack, resources);
  const unknown = plan.nodes.filter((n) => userData.get(n.name) === undefined);
  const result = checkPlan(plan, (n) => userData.get(n.name) ?? "", { topology: declaredTopology(config) });
  return [
    ...result.findings,
    ...unknown.map((n) => ({
      severity: "assumption" as const,
      node: n.name,
      need: "user-data",
      field: "-",
      message: `${n.name}'s user-data is not known in this preview (it holds secrets not generated yet); its needs are checked once it is`,
    })),
  ];
}

function policy(name: string, severity: Severity, description: string, enforcementLevel: "mandatory" | "advisory"): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel,
    configSchema: CONFIG_SCHEMA,
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const findings = checkPolicyResources(args.resources.map(toPolicyResourceLike), args.getConfig<PghaPolicyConfig>());
      for (const f of findings.filter((x) => x.severity === severity)) {
        const urn = args.resources.find((r) => r.name === (f.resource ?? f.node))?.urn;
        report(`${f.node ?? f.resource ?? "-"}: ${f.need}: ${f.message} (stack field: ${f.field})`, urn);
      }
    },
  };
}

export function pghaPolicies(): StackValidationPolicy[] {
  return [
    policy(
      "pgha-unmet-needs",
      "unmet",
      "Every node's needs (packages, downloads, backup buckets, ports, SSH) are met by the plan's routes, NAT, firewalls and grants.",
      "mandatory",
    ),
    policy("pgha-exposure", "exposed", "Nothing is public or granted beyond what the stack declares.", "mandatory"),
    policy("pgha-assumptions", "assumption", "What the plan cannot show (egress: provided, user-data not known yet).", "advisory"),
  ];
}

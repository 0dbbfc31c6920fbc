// Boot the lab's stand-in for a cloud load balancer: a lab node of its own
// (namespace pgha-lb-<name>, the plan's frontend address, a root over the tools image) whose
// supervisor runs one HAProxy. Its config is checked by `haproxy -c` before anything starts.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  LAB_LB_CONFIG,
  LAB_LB_UNIT,
  type LabLoadBalancerNode,
  labLoadBalancerUnit,
  renderLabLoadBalancerConfig,
} from "./cloudLoadBalancer";
import type { LabImages } from "../node/image/debianImage";
import { runInToolsImage } from "../node/image/imageExec";
import type { LabContext } from "../cli/labContext";
import { nodeRootfs } from "../node/nodeView";
import { defaultStateDir, readNodeSupervisor, startNodeSupervisor } from "../systemd/supervisorControl";

/** Start it unless it runs already; true when it was started. */
export async function bootLoadBalancerNode(
  ctx: LabContext,
  lb: LabLoadBalancerNode,
  images: LabImages,
  log: (line: string) => void,
): Promise<boolean> {
  if (readNodeSupervisor(defaultStateDir(ctx.labDir, lb.name))) return false;
  const root = nodeRootfs(ctx.labDir, lb.name);
  const config = join(root, LAB_LB_CONFIG);
  mkdirSync(dirname(config), { recursive: true });
  writeFileSync(config, renderLabLoadBalancerConfig(lb.lb, lb.address));
  const check = await runInToolsImage(["haproxy", "-c", "-q", "-f", LAB_LB_CONFIG], { binds: [[config, LAB_LB_CONFIG]] });
  if (check.code !== 0)
    throw new Error(`${lb.name}: haproxy -c rejects the lab's load balancer config ${config}: ${(check.stdout + check.stderr).trim()}`);
  mkdirSync(join(root, "etc/systemd/system"), { recursive: true });
  writeFileSync(join(root, "etc/systemd/system", LAB_LB_UNIT), labLoadBalancerUnit(lb.lb.name));
  // Not a VM of the plan: it runs the tools image's HAProxy.
  await startNodeSupervisor({ labDir: ctx.labDir, node: lb.name, lower: [images.tools], startEnabled: false, units: [LAB_LB_UNIT] });
  log(
    `  ${lb.name}: HAProxy standing in for ${lb.lb.scope} cloud load balancer ${lb.lb.name} ` +
      `on ${lb.address} (${lb.lb.listeners.map((l) => `${l.name} ${l.port}`).join(", ")})`,
  );
  return true;
}

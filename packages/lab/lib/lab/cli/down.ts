// `pgha lab down`: stop every node the lab recorded (by its supervisor's
// recorded pid + start time), remove the network it recorded, then its files.
// Nothing is found by pattern: only what the lab's own state files list.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { detachDataDisks, removeHostDirs } from "../node/dataDisk";
import { teardownNetwork } from "../network/network";
import { nodeDir } from "../node/nodeView";
import { teardownLabObjectStorage } from "../cloud/objectStorage/labObjectStorage";
import { teardownLabMetadata } from "../cloud/metadata/labMetadata";
import { defaultStateDir, readNodeSupervisor, stopNodeSupervisor } from "../systemd/supervisorControl";

export async function labDown(labDir: string, log: (l: string) => void): Promise<void> {
  if (!existsSync(labDir)) {
    log(`no lab at ${labDir}; nothing to do`);
    return;
  }
  const nodesDir = join(labDir, "nodes");
  const nodes = existsSync(nodesDir) ? readdirSync(nodesDir) : [];
  await Promise.all(
    nodes.map(async (node) => {
      const h = readNodeSupervisor(defaultStateDir(labDir, node));
      if (!h) return;
      await stopNodeSupervisor(h, 60_000);
      log(`  ${node}: stopped (supervisor pid ${h.pid})`);
    }),
  );
  for (const node of nodes) {
    const loops = await detachDataDisks(labDir, node);
    if (loops.length > 0) log(`  ${node}: data disk loop device(s) ${loops.join(", ")} detached`);
  }
  removeHostDirs(labDir);
  await teardownLabObjectStorage(labDir, log);
  await teardownLabMetadata(labDir, log);
  await teardownNetwork(join(labDir, "network.json"));
  log("  network namespaces and the delayer removed");
  // The nodes' roots were mounted only in their private mount namespaces, gone with their processes.
  for (const node of nodes) rmSync(nodeDir(labDir, node), { recursive: true, force: true });
  rmSync(labDir, { recursive: true, force: true });
  log(`lab removed (${labDir})`);
}

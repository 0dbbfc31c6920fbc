/**
 * Which static access key an S3 access key id in a synth plan's user-data belongs to. In a real
 * deployment that is the key's `accessKey` output; a synth plan records inputs only, so the
 * id is re-derived the way synth's mocks made it (lib/synth/cloudOutputs.ts) from the seed the
 * plan was synthesized with (default `pgha/<stack>`, lib/synth/synth.ts).
 */
import { cloudState } from "../synth/cloudOutputs";
import type { SynthPlan } from "../synth/plan";
import { T } from "./planIndex";

export function synthStaticKeyOwner(plan: SynthPlan, seed = `pgha/${plan.stack}`): (accessKeyId: string) => string | undefined {
  const owners = new Map<string, string>();
  for (const r of plan.resources.filter((x) => x.type === T.yandexStaticKey)) {
    const id = cloudState(seed, r.type, r.name, r.inputs).state.accessKey;
    if (typeof id === "string") owners.set(id, r.name);
  }
  return (accessKeyId) => owners.get(accessKeyId);
}

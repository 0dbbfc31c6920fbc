/**
 * Outputs the cloud providers compute, made up deterministically for `pgha synth`: ids are
 * `${name}-id`, inputs are echoed back (so addresses we planned come back unchanged), and
 * cloud-assigned addresses come from TEST-NET-3 (203.0.113.0/24), which never routes anywhere.
 */
import { derive32 } from "./derive";
import { deriveRandomString } from "./random";
import { inputText } from "./inputText";

export interface CloudState {
  state: Record<string, unknown>;
  /** Values a real provider returns as secrets (access keys): scrubbed from the plan. */
  secrets: string[];
}

export function testNetAddress(seed: string, name: string): string {
  return `203.0.113.${1 + (derive32(seed, "address", name)[0] % 254)}`;
}

function privateAddress(seed: string, name: string): string {
  const [a, b] = derive32(seed, "internal-address", name);
  return `10.255.${a}.${1 + (b % 254)}`;
}

const token = (seed: string, name: string, length: number) => deriveRandomString(seed, `${name}#credential`, { length, special: false });

export function cloudState(seed: string, type: string, name: string, inputs: Record<string, unknown>): CloudState {
  const state: Record<string, unknown> = { ...inputs };
  const secrets: string[] = [];
  if (type.startsWith("gcp:")) {
    const gcpName = inputText(inputs.name, name);
    state.name = gcpName;
    state.selfLink =
      `https://www.googleapis.com/compute/v1/projects/` + `${inputText(inputs.project, "pgha-synth")}/${type.split(":")[2]}/${gcpName}`;
  }
  switch (type) {
    case "gcp:compute/address:Address":
    case "gcp:compute/globalAddress:GlobalAddress":
      // An internal address GCP picks lies in its subnet. The subnet's range is not visible here,
      // so it comes from 10.255/16: private like the real one, never mistaken for a public address.
      state.address = inputs.address ?? (inputs.addressType === "INTERNAL" ? privateAddress(seed, name) : testNetAddress(seed, name));
      break;
    case "gcp:compute/forwardingRule:ForwardingRule":
    case "gcp:compute/globalForwardingRule:GlobalForwardingRule":
      state.ipAddress = inputs.ipAddress ?? testNetAddress(seed, name);
      break;
    case "gcp:serviceaccount/account:Account":
      state.email = `${inputText(inputs.accountId, name)}@${inputText(inputs.project, "pgha-synth")}.iam.gserviceaccount.com`;
      break;
    case "gcp:container/cluster:Cluster":
      state.endpoint = testNetAddress(seed, name);
      state.masterAuth = { clusterCaCertificate: Buffer.from(`synth CA of ${name}`).toString("base64") };
      break;
    case "kubernetes:core/v1:Service": {
      // What the LB controller reports: a LoadBalancer Service gets an address.
      const spec = (inputs.spec ?? {}) as Record<string, unknown>;
      state.spec = {
        ...spec,
        clusterIP: spec.clusterIP ?? `10.68.${derive32(seed, "cip", name)[0]}.${1 + (derive32(seed, "cip", name)[1] % 254)}`,
      };
      if (spec.type === "LoadBalancer") state.status = { loadBalancer: { ingress: [{ ip: testNetAddress(seed, name) }] } };
      break;
    }
    case "gcp:storage/hmacKey:HmacKey":
      state.accessId = `GOOG1E${token(seed, name, 20).toUpperCase()}`;
      state.secret = token(seed, `${name}/secret`, 40);
      secrets.push(state.secret as string);
      break;
    case "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey":
      state.accessKey = `YCAJE${token(seed, name, 20)}`;
      state.secretKey = `YC${token(seed, `${name}/secret`, 38)}`;
      secrets.push(state.secretKey as string);
      break;
    case "yandex:index/storageBucket:StorageBucket":
      state.bucket =
        inputs.bucket ?? `${inputText(inputs.bucketPrefix, name)}${derive32(seed, "bucket", name).toString("hex").slice(0, 7)}`;
      break;
    case "yandex:index/vpcAddress:VpcAddress": {
      const ext = inputs.externalIpv4Address as Record<string, unknown> | undefined;
      if (ext) state.externalIpv4Address = { ...ext, address: ext.address ?? testNetAddress(seed, name) };
      break;
    }
    case "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer": {
      const listeners = (inputs.listeners as Record<string, unknown>[] | undefined) ?? [];
      state.listeners = listeners.map((l, i) => {
        const internal = l.internalAddressSpec as Record<string, unknown> | undefined;
        const external = l.externalAddressSpec as Record<string, unknown> | undefined;
        if (internal) return l; // an internal listener's address is planned (or assigned inside the subnet)
        return { ...l, externalAddressSpec: { ...external, address: external?.address ?? testNetAddress(seed, `${name}/${i}`) } };
      });
      break;
    }
  }
  return { state, secrets };
}

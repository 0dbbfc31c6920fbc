/**
 * Pulumi mocks for the consumer programs: every resource gets an id and its inputs back, plus
 * the few computed outputs pgha reads (addresses). Import before anything that creates resources.
 */
import * as pulumi from "@pulumi/pulumi";

export const registered: { type: string; name: string }[] = [];
let nextAddress = 0;

/** What the providers would compute: addresses, generated names, keys and TLS material, as placeholders of the right shape. */
function computed(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const address = `198.18.0.${++nextAddress}`;
  if (type.startsWith("gcp:")) {
    out.selfLink = `https://www.googleapis.com/compute/v1/projects/consumer/${name}`;
    if (inputs.name === undefined) out.name = `${name}-1a2b3c4`;
  }
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      out.result = `pw${name.replace(/[^A-Za-z0-9]/g, "")}`;
      break;
    case "random:index/randomId:RandomId":
      out.hex = Buffer.from(name).toString("hex").padEnd(64, "0").slice(0, 64);
      break;
    case "tls:index/privateKey:PrivateKey":
      out.privateKeyPem = `-----BEGIN PRIVATE KEY-----\nKEY-${name}\n-----END PRIVATE KEY-----\n`;
      break;
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      out.certPem = `-----BEGIN CERTIFICATE-----\nCERT-${name}\n-----END CERTIFICATE-----\n`;
      break;
    case "tls:index/certRequest:CertRequest":
      out.certRequestPem = `CSR-${name}`;
      break;
    case "gcp:serviceaccount/account:Account":
      out.email = `${String(inputs.accountId)}@consumer.iam.gserviceaccount.com`;
      break;
    case "gcp:compute/address:Address":
    case "gcp:compute/globalAddress:GlobalAddress":
      out.address = inputs.address ?? address;
      break;
    case "gcp:compute/forwardingRule:ForwardingRule":
    case "gcp:compute/globalForwardingRule:GlobalForwardingRule":
      out.ipAddress = inputs.ipAddress ?? address;
      break;
    case "gcp:container/cluster:Cluster":
      out.endpoint = address;
      out.masterAuth = { clusterCaCertificate: Buffer.from("consumer-test-ca").toString("base64") };
      break;
    case "kubernetes:core/v1:Service":
      out.status = { loadBalancer: { ingress: [{ ip: address }] } };
      break;
    case "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey":
      out.accessKey = `YCAJE${name.length}`;
      out.secretKey = `YC-secret-${name}`;
      break;
    case "yandex:index/storageBucket:StorageBucket":
      out.bucket = inputs.bucket ?? `${String(inputs.bucketPrefix ?? name)}1a2b3c4`;
      break;
    case "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer": {
      const listeners = (inputs.listeners as Record<string, unknown>[] | undefined) ?? [];
      out.listeners = listeners.map((l) => {
        const key = l.internalAddressSpec ? "internalAddressSpec" : "externalAddressSpec";
        const spec = (l[key] ?? {}) as Record<string, unknown>;
        return { ...l, [key]: { ...spec, address: spec.address ?? address } };
      });
      break;
    }
  }
  return out;
}

void pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs) {
      registered.push({ type: args.type, name: args.name });
      return { id: `${args.name}-id`, state: { ...args.inputs, ...computed(args.type, args.name, args.inputs) } };
    },
    call(args: pulumi.runtime.MockCallArgs) {
      return args.inputs;
    },
  },
  "consumer",
  "test",
  false,
);

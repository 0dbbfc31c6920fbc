// What a cloud VM has for its object storage and a lab node lacks: a DNS answer for the
// endpoint's name and a trusted CA for its certificate. The lab stands in for both with files in
// the node's own root, written before it boots (listed by `lab up`):
// - DNS: the VPC resolver would answer storage.yandexcloud.net; the lab adds the name to the
//   node's /etc/hosts through cloud-init's hosts template, since the user-data's
//   manage_etc_hosts: true makes cloud-init rewrite /etc/hosts from that template at every boot
//   (cloud-init's own header in /etc/hosts says to change the template).
// - TLS: the image's CA bundle plus the lab's object-storage CA, as update-ca-certificates
//   would write it, and its hash link for OpenSSL's CApath lookups.
// The secret-store stand-in (cloud/metadata) adds its own names and CA the same way: each stand-in
// owns one marked block of the hosts template and one CA file, so neither undoes the other's.
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { exec } from "../../host/exec";

export const HOSTS_TEMPLATE = "/etc/cloud/templates/hosts.debian.tmpl";
export const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
export const LAB_CA_FILE = "/usr/local/share/ca-certificates/pgha-lab-object-storage.crt";
const MARK = "# pgha lab: the object storage stand-in (the cloud's DNS would answer these names)";

/** The hosts template with `mark`'s block (the mark line and the one after it) set to `line`, other blocks kept. Pure. */
export function hostsTemplateWithBlock(template: string, mark: string, line: string): string {
  const lines = template.replace(/\n*$/, "").split("\n");
  const at = lines.indexOf(mark);
  if (at >= 0) lines.splice(at > 0 && lines[at - 1] === "" ? at - 1 : at, at > 0 && lines[at - 1] === "" ? 3 : 2);
  return `${lines.join("\n")}\n\n${mark}\n${line}\n`;
}

/** The image's hosts template with the endpoint names appended (replacing an earlier lab block). Pure. */
export function hostsTemplateWithStorage(template: string, address: string, hosts: string[]): string {
  return hostsTemplateWithBlock(template, MARK, `${address} ${hosts.join(" ")}`);
}

/** The image's CA bundle with the lab CA appended (replacing an earlier copy of it). Pure. */
export function bundleWithLabCa(bundle: string, caPem: string): string {
  const pem = caPem.trim();
  const base = bundle.includes(pem) ? bundle.replace(`${pem}\n`, "") : bundle;
  return `${base.replace(/\n*$/, "\n")}${pem}\n`;
}

function writeIfChanged(file: string, content: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === content) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** The node's own copy of `file` if the lab wrote one already (another stand-in's block), else the image's. */
function nodeOrImage(rootfs: string, imageRoot: string, file: string): string {
  const own = join(rootfs, file);
  return readFileSync(existsSync(own) ? own : join(imageRoot, file), "utf8");
}

export interface NodeTrustBlock {
  /** The hosts template line that marks this stand-in's block. */
  mark: string;
  address: string;
  hosts: string[];
  caPemFile: string;
  /** Where the CA goes in the node (/usr/local/share/ca-certificates/<name>.crt). */
  caFile: string;
}

/**
 * Into a node's root (`rootfs`: its overlay's own files), from the image it boots on (`imageRoot`):
 * the hosts template naming `hosts` at `address`, and the lab CA in its trust store.
 */
export async function writeNodeStorageTrust(
  rootfs: string,
  imageRoot: string,
  address: string,
  hosts: string[],
  caPemFile: string,
): Promise<void> {
  await writeNodeTrust(rootfs, imageRoot, { mark: MARK, address, hosts, caPemFile, caFile: LAB_CA_FILE });
}

/** One stand-in's names and CA into a node's root, keeping what other stand-ins wrote there. */
export async function writeNodeTrust(rootfs: string, imageRoot: string, b: NodeTrustBlock): Promise<void> {
  const template = nodeOrImage(rootfs, imageRoot, HOSTS_TEMPLATE);
  writeIfChanged(join(rootfs, HOSTS_TEMPLATE), hostsTemplateWithBlock(template, b.mark, `${b.address} ${b.hosts.join(" ")}`));
  const ca = readFileSync(b.caPemFile, "utf8");
  writeIfChanged(join(rootfs, b.caFile), ca);
  writeIfChanged(join(rootfs, CA_BUNDLE), bundleWithLabCa(nodeOrImage(rootfs, imageRoot, CA_BUNDLE), ca));
  const hash = (await exec("openssl", ["x509", "-hash", "-noout", "-in", b.caPemFile])).stdout.trim();
  const link = join(rootfs, "etc/ssl/certs", `${hash}.0`);
  // lstat: the link points into the node's root, not the host's.
  const present = (() => {
    try {
      return lstatSync(link).isSymbolicLink();
    } catch {
      return false;
    }
  })();
  if (!present) symlinkSync(b.caFile, link);
}

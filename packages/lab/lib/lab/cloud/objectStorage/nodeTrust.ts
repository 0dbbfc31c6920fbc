// What a cloud VM has for its object storage and a lab node lacks: a DNS answer for the
// endpoint's name and a trusted CA for its certificate. The lab stands in for both with files in
// the node's own root, written before it boots (listed by `lab up`):
// - DNS: the VPC resolver would answer storage.yandexcloud.net; the lab adds the name to the
//   node's /etc/hosts through cloud-init's hosts template, since the user-data's
//   manage_etc_hosts: true makes cloud-init rewrite /etc/hosts from that template at every boot
//   (cloud-init's own header in /etc/hosts says to change the template).
// - TLS: the image's CA bundle plus the lab's object-storage CA, as update-ca-certificates
//   would write it, and its hash link for OpenSSL's CApath lookups.
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { exec } from "../../host/exec";

export const HOSTS_TEMPLATE = "/etc/cloud/templates/hosts.debian.tmpl";
export const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
export const LAB_CA_FILE = "/usr/local/share/ca-certificates/pgha-lab-object-storage.crt";
const MARK = "# pgha lab: the object storage stand-in (the cloud's DNS would answer these names)";

/** The image's hosts template with the endpoint names appended (replacing an earlier lab block). Pure. */
export function hostsTemplateWithStorage(template: string, address: string, hosts: string[]): string {
  const base = template.split(`\n${MARK}\n`)[0].replace(/\n*$/, "\n");
  return `${base}\n${MARK}\n${address} ${hosts.join(" ")}\n`;
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
  const template = readFileSync(join(imageRoot, HOSTS_TEMPLATE), "utf8");
  writeIfChanged(join(rootfs, HOSTS_TEMPLATE), hostsTemplateWithStorage(template, address, hosts));
  const ca = readFileSync(caPemFile, "utf8");
  writeIfChanged(join(rootfs, LAB_CA_FILE), ca);
  writeIfChanged(join(rootfs, CA_BUNDLE), bundleWithLabCa(readFileSync(join(imageRoot, CA_BUNDLE), "utf8"), ca));
  const hash = (await exec("openssl", ["x509", "-hash", "-noout", "-in", caPemFile])).stdout.trim();
  const link = join(rootfs, "etc/ssl/certs", `${hash}.0`);
  // lstat: the link points into the node's root, not the host's.
  const present = (() => {
    try {
      return lstatSync(link).isSymbolicLink();
    } catch {
      return false;
    }
  })();
  if (!present) symlinkSync(LAB_CA_FILE, link);
}

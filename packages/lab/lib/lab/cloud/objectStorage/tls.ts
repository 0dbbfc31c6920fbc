// The lab's stand-in for the public CA that signs a cloud's object-storage endpoint: a CA made
// for one lab (its key never leaves the lab's directory), and a server certificate for exactly
// the endpoint host names the plan's user-data names. Nodes trust the CA (nodeTrust.ts), so
// their S3 clients verify TLS as they would against storage.yandexcloud.net.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exec } from "../../host/exec";

export interface LabTlsFiles {
  caCert: string;
  cert: string;
  key: string;
}

/** subjectAltName for the endpoint hosts (DNS names or IP addresses). Pure. */
export function subjectAltName(hosts: string[]): string {
  return hosts.map((h) => (/^\d+\.\d+\.\d+\.\d+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(",");
}

/**
 * Make (once) the CA and a certificate for `hosts` in `dir`; file names are relative to `dir`.
 * `caName`: the CA's common name (each stand-in its own CA, so their subject-hash links differ).
 */
export async function ensureLabTls(dir: string, hosts: string[], caName = "pgha lab object storage CA"): Promise<LabTlsFiles> {
  const files = { caCert: "ca.pem", cert: "server.pem", key: "server.key" };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (f: string) => join(dir, f);
  const san = subjectAltName(hosts);
  const sanFile = p("server.san");
  if (existsSync(p(files.cert)) && existsSync(sanFile) && readFileSync(sanFile, "utf8") === `${san}\n`) return files;
  const days = ["-days", "825"];
  // A new unencrypted P-256 key written to keyFile (the CA's and the server's alike).
  const newKey = (keyFile: string) => ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyFile];
  await exec("openssl", [
    "req",
    "-x509",
    ...newKey(p("ca.key")),
    "-out",
    p(files.caCert),
    ...days,
    "-subj",
    `/CN=${caName}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await exec("openssl", ["req", ...newKey(p(files.key)), "-out", p("server.csr"), "-subj", `/CN=${hosts[0]}`]);
  writeFileSync(
    p("server.ext"),
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  await exec("openssl", [
    "x509",
    "-req",
    "-in",
    p("server.csr"),
    "-CA",
    p(files.caCert),
    "-CAkey",
    p("ca.key"),
    "-CAcreateserial",
    "-out",
    p(files.cert),
    ...days,
    "-extfile",
    p("server.ext"),
  ]);
  writeFileSync(sanFile, `${san}\n`);
  return files;
}

// Network probes run *inside* a lab namespace. There is no `ping` on lab
// hosts, and ICMP would not show what services feel anyway, so latency is the
// duration of a TCP handshake (connect() resolves after SYN -> SYN/ACK: one
// round trip).
import { type DetachedProcess, spawnDetached } from "../host/daemon";
import { exec, execAllowFailure } from "../host/exec";
import { terminate } from "../host/procs";

const LISTENER_JS = `
const net = require("net");
const [host, port] = process.argv.slice(1);
net.createServer((s) => s.end()).listen(Number(port), host, () => console.log("listening " + host + ":" + port));
`;

const CONNECT_JS = `
const net = require("net");
const [host, port, samples, timeoutMs] = process.argv.slice(1).map((v, i) => (i === 0 ? v : Number(v)));
(async () => {
  const out = [];
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    out.push(await new Promise((resolve) => {
      const s = net.connect({ host, port });
      const timer = setTimeout(() => { s.destroy(); resolve({ error: "timeout" }); }, timeoutMs);
      s.on("connect", () => { clearTimeout(timer); s.destroy(); resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6 }); });
      s.on("error", (e) => { clearTimeout(timer); resolve({ error: e.code || e.message }); });
    }));
  }
  console.log(JSON.stringify(out));
})();
`;

/** A trivial TCP server in a namespace (accepts and closes), for reachability and RTT probes. */
export async function startTcpListener(netns: string, host: string, port: number, logFile: string): Promise<DetachedProcess> {
  return spawnDetached(["ip", "netns", "exec", netns, process.execPath, "-e", LISTENER_JS, host, String(port)], logFile, (log) =>
    log.includes("listening"),
  );
}

export async function stopTcpListener(p: DetachedProcess): Promise<void> {
  await terminate(p, 2000);
}

export type ConnectSample = { ms: number } | { error: string };

/** Time `samples` TCP handshakes from inside `netns` to host:port. */
export async function tcpConnectSamples(
  netns: string,
  host: string,
  port: number,
  samples = 3,
  timeoutMs = 2000,
): Promise<ConnectSample[]> {
  const { stdout } = await exec("ip", [
    "netns",
    "exec",
    netns,
    process.execPath,
    "-e",
    CONNECT_JS,
    host,
    String(port),
    String(samples),
    String(timeoutMs),
  ]);
  return JSON.parse(stdout) as ConnectSample[];
}

/** Route lookup without sending anything: resolves the route, or undefined if unreachable. */
export async function routeTo(netns: string, address: string): Promise<string | undefined> {
  const r = await execAllowFailure("ip", ["-n", netns, "route", "get", address]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

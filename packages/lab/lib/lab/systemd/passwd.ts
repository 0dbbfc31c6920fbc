// User/group lookup from passwd/group text (pure). The supervisor reads the
// node's own /etc/passwd (its view may differ from the host's once
// cloud-init creates users), so it does not use getpwnam of the host.

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
}

export function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(":"))
    .filter((f) => f.length >= 7)
    .map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5], shell: f[6] }));
}

export function parseGroup(text: string): GroupEntry[] {
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(":"))
    .filter((f) => f.length >= 3)
    .map((f) => ({ name: f[0], gid: Number(f[2]) }));
}

export interface ResolvedUser {
  user: string;
  uid: number;
  gid: number;
  group: string;
  home: string;
  shell: string;
}

/** Resolve User=/Group= (names or numeric ids) the way systemd does; default group is the user's primary group. */
export function resolveUser(passwd: PasswdEntry[], groups: GroupEntry[], user = "root", group?: string): ResolvedUser {
  const pw = passwd.find((p) => p.name === user) ?? (/^\d+$/.test(user) ? passwd.find((p) => p.uid === Number(user)) : undefined);
  if (!pw) throw new Error(`user ${user} does not exist in the node's /etc/passwd`);
  let gid = pw.gid;
  if (group !== undefined) {
    const gr = groups.find((g) => g.name === group) ?? (/^\d+$/.test(group) ? { name: group, gid: Number(group) } : undefined);
    if (!gr) throw new Error(`group ${group} does not exist in the node's /etc/group`);
    gid = gr.gid;
  }
  const groupName = groups.find((g) => g.gid === gid)?.name ?? String(gid);
  return { user: pw.name, uid: pw.uid, gid, group: groupName, home: pw.home, shell: pw.shell };
}

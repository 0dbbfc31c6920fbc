import { describe, expect, it } from "vitest";
import { parseGroup, parsePasswd, resolveUser } from "./passwd";

describe("passwd and group", () => {
  it("resolves a user's ids, home and shell, with a supplementary group as its group", () => {
    const pw = parsePasswd("root:x:0:0:root:/root:/bin/bash\npostgres:x:104:110::/var/lib/postgresql:/bin/bash\n");
    const gr = parseGroup("root:x:0:\npostgres:x:110:\nssl-cert:x:111:postgres\n");
    expect(resolveUser(pw, gr, "postgres")).toEqual({
      user: "postgres",
      uid: 104,
      gid: 110,
      group: "postgres",
      home: "/var/lib/postgresql",
      shell: "/bin/bash",
    });
    expect(resolveUser(pw, gr, "postgres", "ssl-cert").gid).toBe(111);
    expect(() => resolveUser(pw, gr, "etcd")).toThrow(/etcd does not exist/);
  });
});

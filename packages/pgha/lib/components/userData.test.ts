import { describe, expect, it } from "vitest";
import type { PatroniNodeModel } from "../render/model";
import { patroniSecretValues } from "./userData";

/** Only what patroniSecretValues reads: the passwords and the archive's S3 key. */
function model(s3AccessKeyId: string): PatroniNodeModel {
  const pw = (n: string) => `${n}-password-0123456789abcdef`;
  return {
    passwords: {
      superuser: pw("su"),
      replication: pw("repl"),
      rewind: pw("rewind"),
      restApi: pw("rest"),
      pgbouncer: pw("bouncer"),
      roles: {},
    },
    backups: { s3AccessKeyId, s3SecretAccessKey: "secret-access-key-0123456789" },
  } as unknown as PatroniNodeModel;
}

describe("patroniSecretValues", () => {
  it("carries a cloud's access key id (long enough to find verbatim) in the node's secret", () => {
    expect(patroniSecretValues(model("YCAJEtestaccesskey")).BACKUP_S3_ACCESS_KEY_ID).toBe("YCAJEtestaccesskey");
  });

  it("leaves a short access key id (a MinIO user) in the file: it names the key, and could match other text", () => {
    const values = patroniSecretValues(model("backup"));
    expect(values.BACKUP_S3_ACCESS_KEY_ID).toBeUndefined();
    expect(values.BACKUP_S3_SECRET_ACCESS_KEY).toBe("secret-access-key-0123456789");
  });
});

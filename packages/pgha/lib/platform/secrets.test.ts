/**
 * Platform.secret on every VM platform under mocks: the resources each creates, the entries as a
 * Pulumi secret in the shape the store serves them, readers bound to exactly the given account,
 * the store reference the node's manifest carries, and (Yandex) inputs the provider schema knows.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { undeclaredYandexInputs } from "../../../../test/support/yandexSchema";
import { GcpPlatform } from "./gcp/platform";
import { LAB_TYPES, LocalPlatform } from "./local";
import { installMocks, type MockRecorder, valueOf } from "./testing";
import type { Platform, SecretHandle } from "./types";
import { YandexPlatform } from "./yandex/platform";

const ENTRIES = { PGHA_SECRET_SUPERUSER_PASSWORD: "Sup3rSecretPassw0rdValue", PGHA_SECRET_TLS_POSTGRES_KEY: "-----BEGIN KEY-----\nQUJD\n" };

let rec: MockRecorder;
beforeAll(() => {
  rec = installMocks();
});
beforeEach(async () => {
  await rec.settled();
  rec.reset();
});

/** Mocks see secret inputs as `{ <sig>: ..., value }`. */
const isWrapped = (v: unknown) => typeof v === "object" && v !== null && "value" in v && Object.keys(v).some((k) => k.length === 32);
const unwrap = (v: unknown): unknown => (isWrapped(v) ? (v as { value: unknown }).value : v);

async function build(platform: Platform): Promise<{ handle: SecretHandle; readerId: string; otherId: string }> {
  const parent = rec.parent();
  const reader = platform.serviceAccount("main-patroni", parent);
  const other = platform.serviceAccount("main-haproxy", parent);
  const handle = platform.secret({ name: "main-pg-0-secrets", entries: pulumi.secret(ENTRIES), readers: [reader] }, parent);
  await rec.settled();
  return { handle, readerId: await valueOf(reader.id), otherId: await valueOf(other.id) };
}

describe("Platform.secret", () => {
  it("local: a lab Secret with the entries as a Pulumi secret and one SecretAccess per reader, by account name", async () => {
    const { handle } = await build(new LocalPlatform());
    expect(rec.countsByType()).toMatchObject({ [LAB_TYPES.secret]: 1, [LAB_TYPES.secretAccess]: 1, [LAB_TYPES.serviceAccount]: 2 });
    const secret = rec.get(LAB_TYPES.secret, "main-pg-0-secrets").inputs;
    expect(isWrapped(secret.entries)).toBe(true);
    expect(unwrap(secret.entries)).toEqual(ENTRIES);
    expect(rec.get(LAB_TYPES.secretAccess, "main-pg-0-secrets-main-patroni").inputs).toEqual({
      secret: "main-pg-0-secrets",
      serviceAccount: "main-patroni",
    });
    expect(await valueOf(handle.store)).toEqual({ kind: "lab", secret: "main-pg-0-secrets" });
    expect(handle.resources).toHaveLength(2);
  });

  it("gcp: Secret (automatic replication), a version holding the entries as JSON, secretAccessor for the reader only", async () => {
    const { handle, readerId, otherId } = await build(new GcpPlatform({ project: "proj" }));
    expect(rec.countsByType()).toMatchObject({
      "gcp:secretmanager/secret:Secret": 1,
      "gcp:secretmanager/secretVersion:SecretVersion": 1,
      "gcp:secretmanager/secretIamMember:SecretIamMember": 1,
    });
    expect(rec.get("gcp:secretmanager/secret:Secret", "main-pg-0-secrets").inputs).toMatchObject({
      project: "proj",
      secretId: "main-pg-0-secrets",
      replication: { auto: {} },
    });
    const version = rec.get("gcp:secretmanager/secretVersion:SecretVersion", "main-pg-0-secrets").inputs;
    expect(isWrapped(version.secretData)).toBe(true);
    expect(JSON.parse(unwrap(version.secretData) as string)).toEqual(ENTRIES);
    const member = rec.get("gcp:secretmanager/secretIamMember:SecretIamMember", "main-pg-0-secrets-main-patroni").inputs;
    expect(member).toMatchObject({
      role: "roles/secretmanager.secretAccessor",
      member: `serviceAccount:${readerId}`,
      secretId: "main-pg-0-secrets",
    });
    expect(JSON.stringify(member)).not.toContain(otherId);
    expect(await valueOf(handle.store)).toEqual({ kind: "gcp-secret-manager", project: "proj", secret: "main-pg-0-secrets" });
    expect(handle.resources).toHaveLength(2);
  });

  it("yandex: Lockbox secret, a textValue per token, payloadViewer for the reader only, inputs the schema knows", async () => {
    const { handle, readerId, otherId } = await build(new YandexPlatform({ folderId: "b1g" }));
    const lockbox = {
      secret: "yandex:index/lockboxSecret:LockboxSecret",
      version: "yandex:index/lockboxSecretVersion:LockboxSecretVersion",
      binding: "yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding",
    };
    expect(rec.countsByType()).toMatchObject({ [lockbox.secret]: 1, [lockbox.version]: 1, [lockbox.binding]: 1 });
    expect(rec.get(lockbox.secret, "main-pg-0-secrets").inputs).toMatchObject({ name: "main-pg-0-secrets", folderId: "b1g" });
    const version = rec.get(lockbox.version, "main-pg-0-secrets").inputs;
    expect(version.secretId).toBe("main-pg-0-secrets-id");
    expect(isWrapped(version.entries)).toBe(true);
    expect(unwrap(version.entries)).toEqual(Object.entries(ENTRIES).map(([key, textValue]) => ({ key, textValue })));
    const binding = rec.get(lockbox.binding, "main-pg-0-secrets-readers").inputs;
    expect(binding).toEqual({ secretId: "main-pg-0-secrets-id", role: "lockbox.payloadViewer", members: [`serviceAccount:${readerId}`] });
    expect(JSON.stringify(binding)).not.toContain(otherId);
    expect(await valueOf(handle.store)).toEqual({ kind: "yandex-lockbox", secretId: "main-pg-0-secrets-id" });
    for (const r of rec.resources.filter((x) => x.type.startsWith("yandex:")))
      expect(undeclaredYandexInputs(r.type, r.name, unwrapDeep(r.inputs))).toEqual([]);
  });
});

function unwrapDeep(v: unknown): unknown {
  const u = unwrap(v);
  if (Array.isArray(u)) return u.map(unwrapDeep);
  if (u && typeof u === "object") return Object.fromEntries(Object.entries(u).map(([k, x]) => [k, unwrapDeep(x)]));
  return u;
}

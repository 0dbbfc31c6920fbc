import path from "node:path";

/**
 * The Yandex provider's resource schema (a copy of shared/reference/yandex-provider-schema.json,
 * committed so CI does not depend on the workplace layout). PGHA_YANDEX_SCHEMA overrides it.
 */
export const YANDEX_SCHEMA_PATH =
  process.env.PGHA_YANDEX_SCHEMA ?? path.join(__dirname, "../fixtures/yandex-provider-schema.json");

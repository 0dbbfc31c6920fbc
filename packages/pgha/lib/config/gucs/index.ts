import { POSTGRES_15 } from "./postgres15";
import { POSTGRES_17 } from "./postgres17";
import type { GucTable } from "./types";

export type { GucSpec, GucTable, GucType } from "./types";

/**
 * The majors pgha supports: exactly those it has a parameter table for, generated from that
 * major's server (scripts/generate-guc-tables). A major pgha cannot check is not supported.
 */
export const GUC_TABLES: Readonly<Record<number, GucTable>> = { 15: POSTGRES_15, 17: POSTGRES_17 };
export const SUPPORTED_POSTGRES_MAJORS = [15, 17] as const;

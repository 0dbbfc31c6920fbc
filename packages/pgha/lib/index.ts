/** pgha: Pulumi components for highly available PostgreSQL. */
export * from "./components";
export { ConfigError, parseTopology, planAddresses, stackFileJsonSchema, TIMING_PROFILES, type Topology } from "./config";
// The documented input types the component args extend (and a stack file's `pgha:topology` holds).
export type * from "./config/inputs";
export { dynamicConfigPush, readinessGate, type ConfigPushArgs, type OpsConnection, type ReadinessGateArgs } from "./ops";
export type { PlatformSettings } from "./platform";
export { type ClientService } from "./platform/gke/clientCloudInit";
export { type GkeSettings, type GkeSettingsInput, parseGkeSettings } from "./platform/gke/settings";

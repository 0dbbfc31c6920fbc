/** pgha: Pulumi components for highly available PostgreSQL. */
export * from "./components";
export {
  ConfigError,
  parseTopology,
  planAddresses,
  stackFileJsonSchema,
  TIMING_PROFILES,
  type Topology,
  type TopologyInput,
} from "./config";
export { dynamicConfigPush, readinessGate, type ConfigPushArgs, type OpsConnection, type ReadinessGateArgs } from "./ops";
export type { PlatformSettings } from "./platform";
export { type ClientService } from "./platform/gke/clientCloudInit";
export { type GkeSettings, type GkeSettingsInput, parseGkeSettings } from "./platform/gke/settings";

/**
 * The environment variables the pinned Spilo image reads, so tests can prove that every
 * variable pgha sets is one Spilo actually knows (a typo would be silently ignored by the image).
 *
 * Source: github.com/zalando/spilo at tag 4.0-p3 (commit 7cb50bd6).
 */

/** Every `**NAME**` entry of ENVIRONMENT.rst at tag 4.0-p3, in file order. */
export const SPILO_DOCUMENTED_ENV = [
  "ETCD_HOST", "ETCD_HOSTS", "ETCD_DISCOVERY_DOMAIN", "ETCD_URL", "ETCD_PROXY", "ETCD_CACERT", "ETCD_CERT", "ETCD_KEY",
  "PGHOME", "APIPORT", "BACKUP_SCHEDULE", "CLONE_TARGET_TIMELINE", "CRONTAB", "PGROOT", "WALE_TMPDIR", "PGDATA",
  "PGUSER_STANDBY", "PGPASSWORD_STANDBY", "STANDBY_HOST", "STANDBY_PORT", "STANDBY_PRIMARY_SLOT_NAME",
  "PGUSER_ADMIN", "PGPASSWORD_ADMIN", "USE_ADMIN", "PGUSER_SUPERUSER", "PGPASSWORD_SUPERUSER", "ALLOW_NOSSL",
  "PGPORT", "PGVERSION", "SCOPE", "SSL_CA_FILE", "SSL_CRL_FILE", "SSL_CERTIFICATE_FILE", "SSL_PRIVATE_KEY_FILE",
  "SSL_CA", "SSL_CRL", "SSL_CERTIFICATE", "SSL_PRIVATE_KEY", "SSL_RESTAPI_CA_FILE", "SSL_RESTAPI_CERTIFICATE_FILE",
  "SSL_RESTAPI_PRIVATE_KEY_FILE", "SSL_RESTAPI_CA", "SSL_RESTAPI_CERTIFICATE", "SSL_RESTAPI_PRIVATE_KEY",
  "SSL_TEST_RELOAD", "RESTAPI_CONNECT_ADDRESS", "WALE_BACKUP_THRESHOLD_MEGABYTES", "WALE_BACKUP_THRESHOLD_PERCENTAGE",
  "WALE_ENV_DIR", "WAL_RESTORE_TIMEOUT", "WAL_S3_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
  "AWS_ENDPOINT", "WALE_S3_ENDPOINT", "WALE_S3_PREFIX", "WAL_GS_BUCKET", "WALE_GS_PREFIX",
  "GOOGLE_APPLICATION_CREDENTIALS", "WAL_SWIFT_BUCKET", "SWIFT_AUTHURL", "SWIFT_TENANT", "SWIFT_TENANT_ID",
  "SWIFT_USER", "SWIFT_USER_ID", "SWIFT_PASSWORD", "SWIFT_AUTH_VERSION", "SWIFT_ENDPOINT_TYPE", "SWIFT_REGION",
  "SWIFT_DOMAIN_NAME", "SWIFT_DOMAIN_ID", "SWIFT_USER_DOMAIN_NAME", "SWIFT_USER_DOMAIN_ID", "SWIFT_PROJECT_NAME",
  "SWIFT_PROJECT_ID", "SWIFT_PROJECT_DOMAIN_NAME", "SWIFT_PROJECT_DOMAIN_ID", "WALE_SWIFT_PREFIX", "SSH_USERNAME",
  "SSH_PORT", "SSH_PRIVATE_KEY_PATH", "AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_ACCESS_KEY", "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID", "CALLBACK_SCRIPT", "LOG_S3_BUCKET", "LOG_S3_TAGS", "LOG_SHIP_HOURLY",
  "LOG_SHIP_SCHEDULE", "LOG_ENV_DIR", "LOG_TMPDIR", "LOG_S3_ENDPOINT", "LOG_BUCKET_SCOPE_PREFIX",
  "LOG_BUCKET_SCOPE_SUFFIX", "LOG_GROUP_BY_DATE", "DCS_ENABLE_KUBERNETES_API", "KUBERNETES_USE_CONFIGMAPS",
  "KUBERNETES_ROLE_LABEL", "KUBERNETES_LEADER_LABEL_VALUE", "KUBERNETES_STANDBY_LEADER_LABEL_VALUE",
  "KUBERNETES_SCOPE_LABEL", "KUBERNETES_LABELS", "KUBERNETES_BOOTSTRAP_LABELS", "INITDB_LOCALE",
  "ENABLE_WAL_PATH_COMPAT", "WALE_DISABLE_S3_SSE", "WALG_DISABLE_S3_SSE", "USE_OLD_LOCALES", "USE_WALG_BACKUP",
  "USE_WALG_RESTORE", "WALG_DELTA_MAX_STEPS", "WALG_DELTA_ORIGIN", "WALG_DOWNLOAD_CONCURRENCY",
  "WALG_UPLOAD_CONCURRENCY", "WALG_UPLOAD_DISK_CONCURRENCY", "WALG_DISK_RATE_LIMIT", "WALG_NETWORK_RATE_LIMIT",
  "WALG_COMPRESSION_METHOD", "WALG_BACKUP_COMPRESSION_METHOD", "WALG_BACKUP_FROM_REPLICA", "WALG_SENTINEL_USER_DATA",
  "WALG_PREVENT_WAL_OVERWRITE", "WALG_S3_CA_CERT_FILE", "WALG_SSH_PREFIX", "WALG_LIBSODIUM_KEY",
  "WALG_LIBSODIUM_KEY_PATH", "WALG_LIBSODIUM_KEY_TRANSFORM", "WALG_PGP_KEY", "WALG_PGP_KEY_PATH",
  "WALG_PGP_KEY_PASSPHRASE", "http_proxy", "https_proxy", "no_proxy", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_STS_REGIONAL_ENDPOINTS", "WALG_AZ_PREFIX", "WALG_AZURE_BUFFER_SIZE", "WALG_AZURE_MAX_BUFFERS",
  "AZURE_ENVIRONMENT_NAME", "AZURE_STORAGE_SAS_TOKEN",
] as const;

/**
 * Read by postgres-appliance/scripts/configure_spilo.py at 4.0-p3 but missing from ENVIRONMENT.rst.
 * Each is listed with the place that reads it.
 */
export const SPILO_UNDOCUMENTED_ENV = {
  // main(): `yaml.safe_load(os.environ.get('SPILO_CONFIGURATION', ...))`, deep-merged over Spilo's template.
  SPILO_CONFIGURATION: "configure_spilo.py main()",
  // get_placeholders(): the Kubernetes namespace Patroni's DCS works in.
  POD_NAMESPACE: "configure_spilo.py get_placeholders() -> NAMESPACE",
  // get_instance_metadata(): the address Patroni advertises (connect_address).
  POD_IP: "configure_spilo.py get_instance_metadata()",
  // get_placeholders() default '5'; write_wale_environment() puts it in the WAL-G env dir for postgres_backup.sh.
  BACKUP_NUM_TO_RETAIN: "configure_spilo.py get_placeholders()",
} as const;

/**
 * For a standby cluster Spilo reads the WAL settings of the SOURCE archive with a `STANDBY_`
 * prefix: set_extended_wale_placeholders() looks for STANDBY_WALE_GS_PREFIX (and the other
 * stores), set_walg_placeholders(prefix) for STANDBY_USE_WALG_RESTORE, and
 * write_wale_environment(prefix='STANDBY_') for the gs_names and walg_names lists below
 * (copied from that function at 4.0-p3).
 */
export const SPILO_STANDBY_PREFIXED_ENV = [
  // gs_names
  "WALE_GS_PREFIX", "WALG_GS_PREFIX", "GOOGLE_APPLICATION_CREDENTIALS",
  // walg_names
  "WALG_DELTA_MAX_STEPS", "WALG_DELTA_ORIGIN", "WALG_DOWNLOAD_CONCURRENCY", "WALG_UPLOAD_CONCURRENCY",
  "WALG_UPLOAD_DISK_CONCURRENCY", "WALG_DISK_RATE_LIMIT", "WALG_NETWORK_RATE_LIMIT", "WALG_COMPRESSION_METHOD",
  "USE_WALG_BACKUP", "USE_WALG_RESTORE", "WALG_BACKUP_COMPRESSION_METHOD", "WALG_BACKUP_FROM_REPLICA",
  "WALG_SENTINEL_USER_DATA", "WALG_PREVENT_WAL_OVERWRITE", "WALG_S3_CA_CERT_FILE", "WALG_LIBSODIUM_KEY",
  "WALG_LIBSODIUM_KEY_PATH", "WALG_LIBSODIUM_KEY_TRANSFORM", "WALG_PGP_KEY", "WALG_PGP_KEY_PATH",
  "WALG_PGP_KEY_PASSPHRASE", "no_proxy", "http_proxy", "https_proxy",
] as const;

/** Whether the pinned Spilo reads `name` (documented, known-undocumented, or a STANDBY_-prefixed WAL setting). */
export function spiloReadsEnv(name: string): boolean {
  if ((SPILO_DOCUMENTED_ENV as readonly string[]).includes(name)) return true;
  if (Object.hasOwn(SPILO_UNDOCUMENTED_ENV, name)) return true;
  const unprefixed = name.startsWith("STANDBY_") ? name.slice("STANDBY_".length) : undefined;
  return unprefixed !== undefined && (SPILO_STANDBY_PREFIXED_ENV as readonly string[]).includes(unprefixed);
}

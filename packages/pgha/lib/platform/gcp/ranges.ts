/**
 * Source ranges Google Cloud's own systems connect from. Firewall rules on the load-balanced
 * VMs must admit them; nothing else in pgha opens a port to a Google range.
 */

/**
 * Health-check probers of every load balancer pgha builds except the external passthrough NLB,
 * and the Google Front End proxies of the global external proxy NLB (same ranges for instance
 * group backends). cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges and
 * cloud.google.com/load-balancing/docs/firewall-rules.
 */
export const GCP_HEALTH_CHECK_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/**
 * Health-check probers of the external passthrough Network Load Balancer: 35.191.0.0/16 plus the
 * two 209.85 ranges instead of 130.211.0.0/22 (cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges,
 * table "External passthrough Network Load Balancer").
 */
export const GCP_EXTERNAL_PASSTHROUGH_HEALTH_CHECK_RANGES = ["35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22"] as const;

/**
 * The Patroni members: a StatefulSet of Spilo pods, one PersistentVolumeClaim each.
 */
import type * as k8s from "@pulumi/kubernetes";
import { clusterLabels, type KubernetesPatroniModel, kubernetesNames, SECRET_KEYS } from "./model";
import { BG_MON_PORT, gcsUrl, PATRONI_LABELS, SPILO_PATHS, WALG_COMPRESSION } from "./spilo";
import { renderSpiloConfiguration, spiloConfiguration } from "./spiloConfiguration";

type EnvVar = k8s.types.input.core.v1.EnvVar;

const value = (name: string, v: string | number): EnvVar => ({ name, value: String(v) });
const fromSecret = (name: string, secret: string, key: string): EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
const fromField = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { apiVersion: "v1", fieldPath } } });

/** Environment of the Spilo container. Every name is one the pinned image reads (spiloEnvironment.ts). */
export function spiloEnv(m: KubernetesPatroniModel): EnvVar[] {
  const c = m.cluster;
  const secret = kubernetesNames(c.name).secret;
  const env: EnvVar[] = [
    value("SCOPE", c.name),
    value("PGVERSION", c.postgres.major),
    value("PGROOT", SPILO_PATHS.pgroot),
    value("PGPORT", c.postgres.port),
    value("APIPORT", c.patroni.restApiPort),
    fromField("POD_IP", "status.podIP"),
    fromField("POD_NAMESPACE", "metadata.namespace"),
    // Patroni's DCS is the Kubernetes API, in ConfigMaps mode (see services.ts for why).
    value("DCS_ENABLE_KUBERNETES_API", "true"),
    value("KUBERNETES_USE_CONFIGMAPS", "true"),
    value("KUBERNETES_LABELS", JSON.stringify({ [PATRONI_LABELS.application.key]: PATRONI_LABELS.application.value })),
    value("KUBERNETES_SCOPE_LABEL", PATRONI_LABELS.scopeLabel),
    value("KUBERNETES_ROLE_LABEL", PATRONI_LABELS.roleLabel),
    value("KUBERNETES_LEADER_LABEL_VALUE", PATRONI_LABELS.leaderValue),
    value("KUBERNETES_STANDBY_LEADER_LABEL_VALUE", PATRONI_LABELS.standbyLeaderValue),
    value("PGUSER_SUPERUSER", c.postgres.users.superuser),
    fromSecret("PGPASSWORD_SUPERUSER", secret, SECRET_KEYS.superuserPassword),
    value("PGUSER_STANDBY", c.postgres.users.replication),
    fromSecret("PGPASSWORD_STANDBY", secret, SECRET_KEYS.replicationPassword),
    ...(m.requireTls ? [] : [value("ALLOW_NOSSL", "true")]),
    value("SPILO_CONFIGURATION", renderSpiloConfiguration(spiloConfiguration(c, m.permanentSlots, m.standby?.sourceCluster))),
  ];
  const backups = c.backups;
  if (m.archive && backups) {
    // WALE_GS_PREFIX is the documented name; Spilo copies it to WALG_GS_PREFIX. No
    // GOOGLE_APPLICATION_CREDENTIALS: WAL-G uses the pod's Workload Identity.
    env.push(
      value("WAL_GS_BUCKET", m.archive.bucket),
      value("WALE_GS_PREFIX", gcsUrl(m.archive.bucket, m.archive.path)),
      value("USE_WALG_BACKUP", "true"),
      value("USE_WALG_RESTORE", "true"),
      value("BACKUP_SCHEDULE", backups.schedule),
      value("BACKUP_NUM_TO_RETAIN", backups.retainFull),
    );
    const compression = WALG_COMPRESSION[backups.compression];
    if (compression) env.push(value("WALG_COMPRESSION_METHOD", compression));
    if (m.archive.encrypted)
      env.push(fromSecret("WALG_LIBSODIUM_KEY", secret, SECRET_KEYS.walgKey), value("WALG_LIBSODIUM_KEY_TRANSFORM", "hex"));
  }
  const s = m.standby;
  if (s) {
    env.push(value("STANDBY_HOST", s.host), value("STANDBY_PORT", s.port), value("STANDBY_PRIMARY_SLOT_NAME", s.primarySlotName));
    if (s.sourceArchive) {
      // Spilo's standby_cluster then bootstraps from the source's backup and falls back to its WAL archive.
      env.push(
        value("STANDBY_WALE_GS_PREFIX", gcsUrl(s.sourceArchive.bucket, s.sourceArchive.path)),
        value("STANDBY_USE_WALG_RESTORE", "true"),
      );
      if (s.sourceArchive.encrypted)
        env.push(
          fromSecret("STANDBY_WALG_LIBSODIUM_KEY", secret, SECRET_KEYS.sourceWalgKey),
          value("STANDBY_WALG_LIBSODIUM_KEY_TRANSFORM", "hex"),
        );
    }
  }
  return env;
}

/** Guaranteed QoS (requests == limits): the kubelet evicts a database pod last. */
function resources(m: KubernetesPatroniModel): k8s.types.input.core.v1.ResourceRequirements {
  const hw = m.cluster.hardware;
  const amount = { cpu: String(hw.vcpus), memory: `${Math.round(hw.ramGb * 1024)}Mi` };
  return { requests: { ...amount }, limits: { ...amount } };
}

export function patroniStatefulSet(m: KubernetesPatroniModel): k8s.types.input.apps.v1.StatefulSet {
  const c = m.cluster;
  const names = kubernetesNames(c.name);
  const labels = clusterLabels(c.name);
  const restApi = c.patroni.restApiPort;
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: names.statefulSet, namespace: m.namespace, labels },
    spec: {
      replicas: c.nodes,
      serviceName: names.membersService,
      selector: { matchLabels: labels },
      // Patroni, not the StatefulSet controller, decides who leads: members start together,
      // and a lost pod-0 does not block the others from being recreated.
      podManagementPolicy: "Parallel",
      // Template changes wait until an operator deletes pods replicas-first and switches
      // over before the leader (README "Day 2"); a RollingUpdate would restart the leader
      // by ordinal, i.e. an unplanned failover.
      updateStrategy: { type: "OnDelete" },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: names.serviceAccount,
          // Time for Patroni to stop PostgreSQL cleanly (checkpoint) and release the leader lock.
          terminationGracePeriodSeconds: 300,
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: labels } },
              ],
            },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "topology.kubernetes.io/zone",
              whenUnsatisfiable: "DoNotSchedule",
              labelSelector: { matchLabels: labels },
            },
          ],
          containers: [
            {
              name: "postgres",
              image: m.image,
              imagePullPolicy: "IfNotPresent",
              ports: [
                { name: "postgresql", containerPort: c.postgres.port, protocol: "TCP" },
                { name: "patroni", containerPort: restApi, protocol: "TCP" },
                { name: "bg-mon", containerPort: BG_MON_PORT, protocol: "TCP" },
              ],
              env: spiloEnv(m),
              resources: resources(m),
              // Spilo starts as root, fixes ownership and runs Patroni/PostgreSQL as `postgres`.
              securityContext: { allowPrivilegeEscalation: false, privileged: false },
              readinessProbe: {
                httpGet: { path: "/readiness", port: restApi, scheme: "HTTP" },
                periodSeconds: 5,
                timeoutSeconds: 3,
                failureThreshold: 3,
              },
              livenessProbe: {
                httpGet: { path: "/liveness", port: restApi, scheme: "HTTP" },
                initialDelaySeconds: 30,
                periodSeconds: 10,
                timeoutSeconds: 5,
                failureThreshold: 6,
              },
              volumeMounts: [
                { name: names.volumeClaim, mountPath: SPILO_PATHS.volumeMount },
                { name: "dshm", mountPath: "/dev/shm" },
              ],
            },
          ],
          // PostgreSQL's parallel workers use /dev/shm; the container default (64 MiB) is too small.
          volumes: [{ name: "dshm", emptyDir: { medium: "Memory" } }],
        },
      },
      volumeClaimTemplates: [
        {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: names.volumeClaim, labels },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: m.storageClass,
            resources: { requests: { storage: `${c.hardware.diskGb}Gi` } },
          },
        },
      ],
    },
  };
}

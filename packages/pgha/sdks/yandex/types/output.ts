// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as outputs from "../types/output";

export interface ComputeDiskDiskPlacementPolicy {
    diskPlacementGroupId: string;
}

export interface ComputeInstanceBootDisk {
    autoDelete?: boolean;
    deviceName: string;
    diskId: string;
    initializeParams: outputs.ComputeInstanceBootDiskInitializeParams;
    mode: string;
}

export interface ComputeInstanceBootDiskInitializeParams {
    blockSize: number;
    imageId: string;
    name: string;
    size: number;
    snapshotId: string;
    type?: string;
}

export interface ComputeInstanceNetworkInterface {
    dnsRecords?: outputs.ComputeInstanceNetworkInterfaceDnsRecord[];
    index: number;
    ipAddress: string;
    ipv4?: boolean;
    ipv6: boolean;
    ipv6Address: string;
    ipv6DnsRecords?: outputs.ComputeInstanceNetworkInterfaceIpv6DnsRecord[];
    macAddress: string;
    nat: boolean;
    natDnsRecords?: outputs.ComputeInstanceNetworkInterfaceNatDnsRecord[];
    natIpAddress: string;
    natIpVersion: string;
    securityGroupIds: string[];
    subnetId: string;
}

export interface ComputeInstanceNetworkInterfaceDnsRecord {
    dnsZoneId?: string;
    fqdn: string;
    ptr?: boolean;
    ttl?: number;
}

export interface ComputeInstanceNetworkInterfaceIpv6DnsRecord {
    dnsZoneId?: string;
    fqdn: string;
    ptr?: boolean;
    ttl?: number;
}

export interface ComputeInstanceNetworkInterfaceNatDnsRecord {
    dnsZoneId?: string;
    fqdn: string;
    ptr?: boolean;
    ttl?: number;
}

export interface ComputeInstancePlacementPolicy {
    placementGroupId: string;
}

export interface ComputeInstanceResources {
    coreFraction?: number;
    cores: number;
    gpus?: number;
    memory: number;
}

export interface ComputeInstanceSchedulingPolicy {
    preemptible?: boolean;
}

export interface ComputeInstanceSecondaryDisk {
    autoDelete?: boolean;
    deviceName: string;
    diskId: string;
    mode?: string;
}

export interface LbNetworkLoadBalancerAttachedTargetGroup {
    healthchecks: outputs.LbNetworkLoadBalancerAttachedTargetGroupHealthcheck[];
    targetGroupId: string;
}

export interface LbNetworkLoadBalancerAttachedTargetGroupHealthcheck {
    healthyThreshold?: number;
    httpOptions?: outputs.LbNetworkLoadBalancerAttachedTargetGroupHealthcheckHttpOptions;
    interval?: number;
    name: string;
    tcpOptions?: outputs.LbNetworkLoadBalancerAttachedTargetGroupHealthcheckTcpOptions;
    timeout?: number;
    unhealthyThreshold?: number;
}

export interface LbNetworkLoadBalancerAttachedTargetGroupHealthcheckHttpOptions {
    path?: string;
    port: number;
}

export interface LbNetworkLoadBalancerAttachedTargetGroupHealthcheckTcpOptions {
    port: number;
}

export interface LbNetworkLoadBalancerListener {
    externalAddressSpec?: outputs.LbNetworkLoadBalancerListenerExternalAddressSpec;
    internalAddressSpec?: outputs.LbNetworkLoadBalancerListenerInternalAddressSpec;
    name: string;
    port: number;
    protocol: string;
    targetPort: number;
}

export interface LbNetworkLoadBalancerListenerExternalAddressSpec {
    address: string;
    ipVersion?: string;
}

export interface LbNetworkLoadBalancerListenerInternalAddressSpec {
    address: string;
    ipVersion?: string;
    subnetId: string;
}

export interface LbTargetGroupTarget {
    address: string;
    subnetId: string;
}

export interface LockboxSecretVersionEntry {
    key: string;
    textValue?: string;
}

export interface StorageBucketCorsRule {
    allowedHeaders?: string[];
    allowedMethods: string[];
    allowedOrigins: string[];
    exposeHeaders?: string[];
    maxAgeSeconds?: number;
}

export interface StorageBucketGrant {
    id?: string;
    permissions: string[];
    type: string;
    uri?: string;
}

export interface StorageBucketLifecycleRule {
    abortIncompleteMultipartUploadDays?: number;
    enabled: boolean;
    expiration?: outputs.StorageBucketLifecycleRuleExpiration;
    id: string;
    noncurrentVersionExpiration?: outputs.StorageBucketLifecycleRuleNoncurrentVersionExpiration;
    noncurrentVersionTransitions?: outputs.StorageBucketLifecycleRuleNoncurrentVersionTransition[];
    prefix?: string;
    transitions?: outputs.StorageBucketLifecycleRuleTransition[];
}

export interface StorageBucketLifecycleRuleExpiration {
    date?: string;
    days?: number;
    expiredObjectDeleteMarker?: boolean;
}

export interface StorageBucketLifecycleRuleNoncurrentVersionExpiration {
    days?: number;
}

export interface StorageBucketLifecycleRuleNoncurrentVersionTransition {
    days?: number;
    storageClass: string;
}

export interface StorageBucketLifecycleRuleTransition {
    date?: string;
    days?: number;
    storageClass: string;
}

export interface StorageBucketLogging {
    targetBucket: string;
    targetPrefix?: string;
}

export interface StorageBucketServerSideEncryptionConfiguration {
    rule: outputs.StorageBucketServerSideEncryptionConfigurationRule;
}

export interface StorageBucketServerSideEncryptionConfigurationRule {
    applyServerSideEncryptionByDefault: outputs.StorageBucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault;
}

export interface StorageBucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault {
    kmsMasterKeyId: string;
    sseAlgorithm: string;
}

export interface StorageBucketVersioning {
    enabled?: boolean;
}

export interface StorageBucketWebsite {
    errorDocument?: string;
    indexDocument?: string;
    redirectAllRequestsTo?: string;
    routingRules?: string;
}

export interface VpcAddressExternalIpv4Address {
    address: string;
    ddosProtectionProvider: string;
    outgoingSmtpCapability: string;
    zoneId: string;
}

export interface VpcGatewaySharedEgressGateway {
}

export interface VpcRouteTableStaticRoute {
    destinationPrefix?: string;
    gatewayId?: string;
    nextHopAddress?: string;
}

export interface VpcSecurityGroupEgress {
    fromPort?: number;
    id: string;
    labels: {[key: string]: string};
    port?: number;
    predefinedTarget?: string;
    protocol: string;
    securityGroupId?: string;
    toPort?: number;
    v4CidrBlocks?: string[];
    v6CidrBlocks?: string[];
}

export interface VpcSecurityGroupIngress {
    fromPort?: number;
    id: string;
    labels: {[key: string]: string};
    port?: number;
    predefinedTarget?: string;
    protocol: string;
    securityGroupId?: string;
    toPort?: number;
    v4CidrBlocks?: string[];
    v6CidrBlocks?: string[];
}

export interface VpcSubnetDhcpOptions {
    domainName?: string;
    domainNameServers?: string[];
    ntpServers?: string[];
}

// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";

export interface ComputeDiskDiskPlacementPolicy {
    diskPlacementGroupId: pulumi.Input<string>;
}

export interface ComputeInstanceBootDisk {
    autoDelete?: pulumi.Input<boolean | undefined>;
    deviceName?: pulumi.Input<string | undefined>;
    diskId?: pulumi.Input<string | undefined>;
    initializeParams?: pulumi.Input<inputs.ComputeInstanceBootDiskInitializeParams | undefined>;
    mode?: pulumi.Input<string | undefined>;
}

export interface ComputeInstanceBootDiskInitializeParams {
    blockSize?: pulumi.Input<number | undefined>;
    imageId?: pulumi.Input<string | undefined>;
    name?: pulumi.Input<string | undefined>;
    size?: pulumi.Input<number | undefined>;
    snapshotId?: pulumi.Input<string | undefined>;
    type?: pulumi.Input<string | undefined>;
}

export interface ComputeInstanceNetworkInterface {
    dnsRecords?: pulumi.Input<pulumi.Input<inputs.ComputeInstanceNetworkInterfaceDnsRecord>[] | undefined>;
    index?: pulumi.Input<number | undefined>;
    ipAddress?: pulumi.Input<string | undefined>;
    ipv4?: pulumi.Input<boolean | undefined>;
    ipv6?: pulumi.Input<boolean | undefined>;
    ipv6Address?: pulumi.Input<string | undefined>;
    ipv6DnsRecords?: pulumi.Input<pulumi.Input<inputs.ComputeInstanceNetworkInterfaceIpv6DnsRecord>[] | undefined>;
    macAddress?: pulumi.Input<string | undefined>;
    nat?: pulumi.Input<boolean | undefined>;
    natDnsRecords?: pulumi.Input<pulumi.Input<inputs.ComputeInstanceNetworkInterfaceNatDnsRecord>[] | undefined>;
    natIpAddress?: pulumi.Input<string | undefined>;
    natIpVersion?: pulumi.Input<string | undefined>;
    securityGroupIds?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    subnetId: pulumi.Input<string>;
}

export interface ComputeInstanceNetworkInterfaceDnsRecord {
    dnsZoneId?: pulumi.Input<string | undefined>;
    fqdn: pulumi.Input<string>;
    ptr?: pulumi.Input<boolean | undefined>;
    ttl?: pulumi.Input<number | undefined>;
}

export interface ComputeInstanceNetworkInterfaceIpv6DnsRecord {
    dnsZoneId?: pulumi.Input<string | undefined>;
    fqdn: pulumi.Input<string>;
    ptr?: pulumi.Input<boolean | undefined>;
    ttl?: pulumi.Input<number | undefined>;
}

export interface ComputeInstanceNetworkInterfaceNatDnsRecord {
    dnsZoneId?: pulumi.Input<string | undefined>;
    fqdn: pulumi.Input<string>;
    ptr?: pulumi.Input<boolean | undefined>;
    ttl?: pulumi.Input<number | undefined>;
}

export interface ComputeInstancePlacementPolicy {
    placementGroupId: pulumi.Input<string>;
}

export interface ComputeInstanceResources {
    coreFraction?: pulumi.Input<number | undefined>;
    cores: pulumi.Input<number>;
    gpus?: pulumi.Input<number | undefined>;
    memory: pulumi.Input<number>;
}

export interface ComputeInstanceSchedulingPolicy {
    preemptible?: pulumi.Input<boolean | undefined>;
}

export interface ComputeInstanceSecondaryDisk {
    autoDelete?: pulumi.Input<boolean | undefined>;
    deviceName?: pulumi.Input<string | undefined>;
    diskId: pulumi.Input<string>;
    mode?: pulumi.Input<string | undefined>;
}

export interface LbNetworkLoadBalancerAttachedTargetGroup {
    healthchecks: pulumi.Input<pulumi.Input<inputs.LbNetworkLoadBalancerAttachedTargetGroupHealthcheck>[]>;
    targetGroupId: pulumi.Input<string>;
}

export interface LbNetworkLoadBalancerAttachedTargetGroupHealthcheck {
    healthyThreshold?: pulumi.Input<number | undefined>;
    httpOptions?: pulumi.Input<inputs.LbNetworkLoadBalancerAttachedTargetGroupHealthcheckHttpOptions | undefined>;
    interval?: pulumi.Input<number | undefined>;
    name: pulumi.Input<string>;
    tcpOptions?: pulumi.Input<inputs.LbNetworkLoadBalancerAttachedTargetGroupHealthcheckTcpOptions | undefined>;
    timeout?: pulumi.Input<number | undefined>;
    unhealthyThreshold?: pulumi.Input<number | undefined>;
}

export interface LbNetworkLoadBalancerAttachedTargetGroupHealthcheckHttpOptions {
    path?: pulumi.Input<string | undefined>;
    port: pulumi.Input<number>;
}

export interface LbNetworkLoadBalancerAttachedTargetGroupHealthcheckTcpOptions {
    port: pulumi.Input<number>;
}

export interface LbNetworkLoadBalancerListener {
    externalAddressSpec?: pulumi.Input<inputs.LbNetworkLoadBalancerListenerExternalAddressSpec | undefined>;
    internalAddressSpec?: pulumi.Input<inputs.LbNetworkLoadBalancerListenerInternalAddressSpec | undefined>;
    name: pulumi.Input<string>;
    port: pulumi.Input<number>;
    protocol?: pulumi.Input<string | undefined>;
    targetPort?: pulumi.Input<number | undefined>;
}

export interface LbNetworkLoadBalancerListenerExternalAddressSpec {
    address?: pulumi.Input<string | undefined>;
    ipVersion?: pulumi.Input<string | undefined>;
}

export interface LbNetworkLoadBalancerListenerInternalAddressSpec {
    address?: pulumi.Input<string | undefined>;
    ipVersion?: pulumi.Input<string | undefined>;
    subnetId: pulumi.Input<string>;
}

export interface LbTargetGroupTarget {
    address: pulumi.Input<string>;
    subnetId: pulumi.Input<string>;
}

export interface LockboxSecretVersionEntry {
    key: pulumi.Input<string>;
    /** Sensitive in the Terraform provider: pass it as a Pulumi secret. */
    textValue?: pulumi.Input<string | undefined>;
}

export interface StorageBucketCorsRule {
    allowedHeaders?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    allowedMethods: pulumi.Input<pulumi.Input<string>[]>;
    allowedOrigins: pulumi.Input<pulumi.Input<string>[]>;
    exposeHeaders?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    maxAgeSeconds?: pulumi.Input<number | undefined>;
}

export interface StorageBucketGrant {
    id?: pulumi.Input<string | undefined>;
    permissions: pulumi.Input<pulumi.Input<string>[]>;
    type: pulumi.Input<string>;
    uri?: pulumi.Input<string | undefined>;
}

export interface StorageBucketLifecycleRule {
    abortIncompleteMultipartUploadDays?: pulumi.Input<number | undefined>;
    enabled: pulumi.Input<boolean>;
    expiration?: pulumi.Input<inputs.StorageBucketLifecycleRuleExpiration | undefined>;
    id?: pulumi.Input<string | undefined>;
    noncurrentVersionExpiration?: pulumi.Input<inputs.StorageBucketLifecycleRuleNoncurrentVersionExpiration | undefined>;
    noncurrentVersionTransitions?: pulumi.Input<pulumi.Input<inputs.StorageBucketLifecycleRuleNoncurrentVersionTransition>[] | undefined>;
    prefix?: pulumi.Input<string | undefined>;
    transitions?: pulumi.Input<pulumi.Input<inputs.StorageBucketLifecycleRuleTransition>[] | undefined>;
}

export interface StorageBucketLifecycleRuleExpiration {
    date?: pulumi.Input<string | undefined>;
    days?: pulumi.Input<number | undefined>;
    expiredObjectDeleteMarker?: pulumi.Input<boolean | undefined>;
}

export interface StorageBucketLifecycleRuleNoncurrentVersionExpiration {
    days?: pulumi.Input<number | undefined>;
}

export interface StorageBucketLifecycleRuleNoncurrentVersionTransition {
    days?: pulumi.Input<number | undefined>;
    storageClass: pulumi.Input<string>;
}

export interface StorageBucketLifecycleRuleTransition {
    date?: pulumi.Input<string | undefined>;
    days?: pulumi.Input<number | undefined>;
    storageClass: pulumi.Input<string>;
}

export interface StorageBucketLogging {
    targetBucket: pulumi.Input<string>;
    targetPrefix?: pulumi.Input<string | undefined>;
}

export interface StorageBucketServerSideEncryptionConfiguration {
    rule: pulumi.Input<inputs.StorageBucketServerSideEncryptionConfigurationRule>;
}

export interface StorageBucketServerSideEncryptionConfigurationRule {
    applyServerSideEncryptionByDefault: pulumi.Input<inputs.StorageBucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault>;
}

export interface StorageBucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault {
    kmsMasterKeyId: pulumi.Input<string>;
    sseAlgorithm: pulumi.Input<string>;
}

export interface StorageBucketVersioning {
    enabled?: pulumi.Input<boolean | undefined>;
}

export interface StorageBucketWebsite {
    errorDocument?: pulumi.Input<string | undefined>;
    indexDocument?: pulumi.Input<string | undefined>;
    redirectAllRequestsTo?: pulumi.Input<string | undefined>;
    routingRules?: pulumi.Input<string | undefined>;
}

export interface VpcAddressExternalIpv4Address {
    address?: pulumi.Input<string | undefined>;
    ddosProtectionProvider?: pulumi.Input<string | undefined>;
    outgoingSmtpCapability?: pulumi.Input<string | undefined>;
    zoneId?: pulumi.Input<string | undefined>;
}

export interface VpcGatewaySharedEgressGateway {
}

export interface VpcRouteTableStaticRoute {
    destinationPrefix?: pulumi.Input<string | undefined>;
    gatewayId?: pulumi.Input<string | undefined>;
    nextHopAddress?: pulumi.Input<string | undefined>;
}

export interface VpcSecurityGroupEgress {
    fromPort?: pulumi.Input<number | undefined>;
    id?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    port?: pulumi.Input<number | undefined>;
    predefinedTarget?: pulumi.Input<string | undefined>;
    protocol: pulumi.Input<string>;
    securityGroupId?: pulumi.Input<string | undefined>;
    toPort?: pulumi.Input<number | undefined>;
    v4CidrBlocks?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    v6CidrBlocks?: pulumi.Input<pulumi.Input<string>[] | undefined>;
}

export interface VpcSecurityGroupIngress {
    fromPort?: pulumi.Input<number | undefined>;
    id?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    port?: pulumi.Input<number | undefined>;
    predefinedTarget?: pulumi.Input<string | undefined>;
    protocol: pulumi.Input<string>;
    securityGroupId?: pulumi.Input<string | undefined>;
    toPort?: pulumi.Input<number | undefined>;
    v4CidrBlocks?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    v6CidrBlocks?: pulumi.Input<pulumi.Input<string>[] | undefined>;
}

export interface VpcSubnetDhcpOptions {
    domainName?: pulumi.Input<string | undefined>;
    domainNameServers?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    ntpServers?: pulumi.Input<pulumi.Input<string>[] | undefined>;
}

// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

// Export members:
export { ComputeDiskArgs, ComputeDiskState } from "./computeDisk";
export type ComputeDisk = import("./computeDisk").ComputeDisk;
export const ComputeDisk: typeof import("./computeDisk").ComputeDisk = null as any;
utilities.lazyLoad(exports, ["ComputeDisk"], () => require("./computeDisk"));

export { ComputeInstanceArgs, ComputeInstanceState } from "./computeInstance";
export type ComputeInstance = import("./computeInstance").ComputeInstance;
export const ComputeInstance: typeof import("./computeInstance").ComputeInstance = null as any;
utilities.lazyLoad(exports, ["ComputeInstance"], () => require("./computeInstance"));

export { ComputePlacementGroupArgs, ComputePlacementGroupState } from "./computePlacementGroup";
export type ComputePlacementGroup = import("./computePlacementGroup").ComputePlacementGroup;
export const ComputePlacementGroup: typeof import("./computePlacementGroup").ComputePlacementGroup = null as any;
utilities.lazyLoad(exports, ["ComputePlacementGroup"], () => require("./computePlacementGroup"));

export { IamServiceAccountArgs, IamServiceAccountState } from "./iamServiceAccount";
export type IamServiceAccount = import("./iamServiceAccount").IamServiceAccount;
export const IamServiceAccount: typeof import("./iamServiceAccount").IamServiceAccount = null as any;
utilities.lazyLoad(exports, ["IamServiceAccount"], () => require("./iamServiceAccount"));

export { IamServiceAccountStaticAccessKeyArgs, IamServiceAccountStaticAccessKeyState } from "./iamServiceAccountStaticAccessKey";
export type IamServiceAccountStaticAccessKey = import("./iamServiceAccountStaticAccessKey").IamServiceAccountStaticAccessKey;
export const IamServiceAccountStaticAccessKey: typeof import("./iamServiceAccountStaticAccessKey").IamServiceAccountStaticAccessKey = null as any;
utilities.lazyLoad(exports, ["IamServiceAccountStaticAccessKey"], () => require("./iamServiceAccountStaticAccessKey"));

export { LbNetworkLoadBalancerArgs, LbNetworkLoadBalancerState } from "./lbNetworkLoadBalancer";
export type LbNetworkLoadBalancer = import("./lbNetworkLoadBalancer").LbNetworkLoadBalancer;
export const LbNetworkLoadBalancer: typeof import("./lbNetworkLoadBalancer").LbNetworkLoadBalancer = null as any;
utilities.lazyLoad(exports, ["LbNetworkLoadBalancer"], () => require("./lbNetworkLoadBalancer"));

export { LbTargetGroupArgs, LbTargetGroupState } from "./lbTargetGroup";
export type LbTargetGroup = import("./lbTargetGroup").LbTargetGroup;
export const LbTargetGroup: typeof import("./lbTargetGroup").LbTargetGroup = null as any;
utilities.lazyLoad(exports, ["LbTargetGroup"], () => require("./lbTargetGroup"));

export { LockboxSecretArgs, LockboxSecretState } from "./lockboxSecret";
export type LockboxSecret = import("./lockboxSecret").LockboxSecret;
export const LockboxSecret: typeof import("./lockboxSecret").LockboxSecret = null as any;
utilities.lazyLoad(exports, ["LockboxSecret"], () => require("./lockboxSecret"));

export { LockboxSecretIamBindingArgs, LockboxSecretIamBindingState } from "./lockboxSecretIamBinding";
export type LockboxSecretIamBinding = import("./lockboxSecretIamBinding").LockboxSecretIamBinding;
export const LockboxSecretIamBinding: typeof import("./lockboxSecretIamBinding").LockboxSecretIamBinding = null as any;
utilities.lazyLoad(exports, ["LockboxSecretIamBinding"], () => require("./lockboxSecretIamBinding"));

export { LockboxSecretVersionArgs, LockboxSecretVersionState } from "./lockboxSecretVersion";
export type LockboxSecretVersion = import("./lockboxSecretVersion").LockboxSecretVersion;
export const LockboxSecretVersion: typeof import("./lockboxSecretVersion").LockboxSecretVersion = null as any;
utilities.lazyLoad(exports, ["LockboxSecretVersion"], () => require("./lockboxSecretVersion"));

export { ResourcemanagerFolderIamMemberArgs, ResourcemanagerFolderIamMemberState } from "./resourcemanagerFolderIamMember";
export type ResourcemanagerFolderIamMember = import("./resourcemanagerFolderIamMember").ResourcemanagerFolderIamMember;
export const ResourcemanagerFolderIamMember: typeof import("./resourcemanagerFolderIamMember").ResourcemanagerFolderIamMember = null as any;
utilities.lazyLoad(exports, ["ResourcemanagerFolderIamMember"], () => require("./resourcemanagerFolderIamMember"));

export { StorageBucketArgs, StorageBucketState } from "./storageBucket";
export type StorageBucket = import("./storageBucket").StorageBucket;
export const StorageBucket: typeof import("./storageBucket").StorageBucket = null as any;
utilities.lazyLoad(exports, ["StorageBucket"], () => require("./storageBucket"));

export { VpcAddressArgs, VpcAddressState } from "./vpcAddress";
export type VpcAddress = import("./vpcAddress").VpcAddress;
export const VpcAddress: typeof import("./vpcAddress").VpcAddress = null as any;
utilities.lazyLoad(exports, ["VpcAddress"], () => require("./vpcAddress"));

export { VpcGatewayArgs, VpcGatewayState } from "./vpcGateway";
export type VpcGateway = import("./vpcGateway").VpcGateway;
export const VpcGateway: typeof import("./vpcGateway").VpcGateway = null as any;
utilities.lazyLoad(exports, ["VpcGateway"], () => require("./vpcGateway"));

export { VpcNetworkArgs, VpcNetworkState } from "./vpcNetwork";
export type VpcNetwork = import("./vpcNetwork").VpcNetwork;
export const VpcNetwork: typeof import("./vpcNetwork").VpcNetwork = null as any;
utilities.lazyLoad(exports, ["VpcNetwork"], () => require("./vpcNetwork"));

export { VpcRouteTableArgs, VpcRouteTableState } from "./vpcRouteTable";
export type VpcRouteTable = import("./vpcRouteTable").VpcRouteTable;
export const VpcRouteTable: typeof import("./vpcRouteTable").VpcRouteTable = null as any;
utilities.lazyLoad(exports, ["VpcRouteTable"], () => require("./vpcRouteTable"));

export { VpcSecurityGroupArgs, VpcSecurityGroupState } from "./vpcSecurityGroup";
export type VpcSecurityGroup = import("./vpcSecurityGroup").VpcSecurityGroup;
export const VpcSecurityGroup: typeof import("./vpcSecurityGroup").VpcSecurityGroup = null as any;
utilities.lazyLoad(exports, ["VpcSecurityGroup"], () => require("./vpcSecurityGroup"));

export { VpcSubnetArgs, VpcSubnetState } from "./vpcSubnet";
export type VpcSubnet = import("./vpcSubnet").VpcSubnet;
export const VpcSubnet: typeof import("./vpcSubnet").VpcSubnet = null as any;
utilities.lazyLoad(exports, ["VpcSubnet"], () => require("./vpcSubnet"));

export { ProviderArgs } from "./provider";
export type Provider = import("./provider").Provider;
export const Provider: typeof import("./provider").Provider = null as any;
utilities.lazyLoad(exports, ["Provider"], () => require("./provider"));

// Export sub-modules:
import * as types from "./types";

export {
    types,
};

const _module = {
    version: utilities.getVersion(),
    construct: (name: string, type: string, urn: string): pulumi.Resource => {
        switch (type) {
            case "yandex:index/computeDisk:ComputeDisk":
                return new ComputeDisk(name, <any>undefined, { urn })
            case "yandex:index/computeInstance:ComputeInstance":
                return new ComputeInstance(name, <any>undefined, { urn })
            case "yandex:index/computePlacementGroup:ComputePlacementGroup":
                return new ComputePlacementGroup(name, <any>undefined, { urn })
            case "yandex:index/iamServiceAccount:IamServiceAccount":
                return new IamServiceAccount(name, <any>undefined, { urn })
            case "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey":
                return new IamServiceAccountStaticAccessKey(name, <any>undefined, { urn })
            case "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer":
                return new LbNetworkLoadBalancer(name, <any>undefined, { urn })
            case "yandex:index/lbTargetGroup:LbTargetGroup":
                return new LbTargetGroup(name, <any>undefined, { urn })
            case "yandex:index/lockboxSecret:LockboxSecret":
                return new LockboxSecret(name, <any>undefined, { urn })
            case "yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding":
                return new LockboxSecretIamBinding(name, <any>undefined, { urn })
            case "yandex:index/lockboxSecretVersion:LockboxSecretVersion":
                return new LockboxSecretVersion(name, <any>undefined, { urn })
            case "yandex:index/resourcemanagerFolderIamMember:ResourcemanagerFolderIamMember":
                return new ResourcemanagerFolderIamMember(name, <any>undefined, { urn })
            case "yandex:index/storageBucket:StorageBucket":
                return new StorageBucket(name, <any>undefined, { urn })
            case "yandex:index/vpcAddress:VpcAddress":
                return new VpcAddress(name, <any>undefined, { urn })
            case "yandex:index/vpcGateway:VpcGateway":
                return new VpcGateway(name, <any>undefined, { urn })
            case "yandex:index/vpcNetwork:VpcNetwork":
                return new VpcNetwork(name, <any>undefined, { urn })
            case "yandex:index/vpcRouteTable:VpcRouteTable":
                return new VpcRouteTable(name, <any>undefined, { urn })
            case "yandex:index/vpcSecurityGroup:VpcSecurityGroup":
                return new VpcSecurityGroup(name, <any>undefined, { urn })
            case "yandex:index/vpcSubnet:VpcSubnet":
                return new VpcSubnet(name, <any>undefined, { urn })
            default:
                throw new Error(`unknown resource type ${type}`);
        }
    },
};
pulumi.runtime.registerResourceModule("yandex", "index", _module)
pulumi.runtime.registerResourcePackage("yandex", {
    version: utilities.getVersion(),
    constructProvider: (name: string, type: string, urn: string): pulumi.ProviderResource => {
        if (type !== "pulumi:providers:yandex") {
            throw new Error(`unknown provider type ${type}`);
        }
        return new Provider(name, <any>undefined, { urn });
    },
});

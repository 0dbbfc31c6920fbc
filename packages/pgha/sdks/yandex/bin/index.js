"use strict";
// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.types = exports.Provider = exports.VpcSubnet = exports.VpcSecurityGroup = exports.VpcRouteTable = exports.VpcNetwork = exports.VpcGateway = exports.VpcAddress = exports.StorageBucket = exports.ResourcemanagerFolderIamMember = exports.LockboxSecretVersion = exports.LockboxSecretIamBinding = exports.LockboxSecret = exports.LbTargetGroup = exports.LbNetworkLoadBalancer = exports.IamServiceAccountStaticAccessKey = exports.IamServiceAccount = exports.ComputePlacementGroup = exports.ComputeInstance = exports.ComputeDisk = void 0;
const pulumi = __importStar(require("@pulumi/pulumi"));
const utilities = __importStar(require("./utilities"));
exports.ComputeDisk = null;
utilities.lazyLoad(exports, ["ComputeDisk"], () => require("./computeDisk"));
exports.ComputeInstance = null;
utilities.lazyLoad(exports, ["ComputeInstance"], () => require("./computeInstance"));
exports.ComputePlacementGroup = null;
utilities.lazyLoad(exports, ["ComputePlacementGroup"], () => require("./computePlacementGroup"));
exports.IamServiceAccount = null;
utilities.lazyLoad(exports, ["IamServiceAccount"], () => require("./iamServiceAccount"));
exports.IamServiceAccountStaticAccessKey = null;
utilities.lazyLoad(exports, ["IamServiceAccountStaticAccessKey"], () => require("./iamServiceAccountStaticAccessKey"));
exports.LbNetworkLoadBalancer = null;
utilities.lazyLoad(exports, ["LbNetworkLoadBalancer"], () => require("./lbNetworkLoadBalancer"));
exports.LbTargetGroup = null;
utilities.lazyLoad(exports, ["LbTargetGroup"], () => require("./lbTargetGroup"));
exports.LockboxSecret = null;
utilities.lazyLoad(exports, ["LockboxSecret"], () => require("./lockboxSecret"));
exports.LockboxSecretIamBinding = null;
utilities.lazyLoad(exports, ["LockboxSecretIamBinding"], () => require("./lockboxSecretIamBinding"));
exports.LockboxSecretVersion = null;
utilities.lazyLoad(exports, ["LockboxSecretVersion"], () => require("./lockboxSecretVersion"));
exports.ResourcemanagerFolderIamMember = null;
utilities.lazyLoad(exports, ["ResourcemanagerFolderIamMember"], () => require("./resourcemanagerFolderIamMember"));
exports.StorageBucket = null;
utilities.lazyLoad(exports, ["StorageBucket"], () => require("./storageBucket"));
exports.VpcAddress = null;
utilities.lazyLoad(exports, ["VpcAddress"], () => require("./vpcAddress"));
exports.VpcGateway = null;
utilities.lazyLoad(exports, ["VpcGateway"], () => require("./vpcGateway"));
exports.VpcNetwork = null;
utilities.lazyLoad(exports, ["VpcNetwork"], () => require("./vpcNetwork"));
exports.VpcRouteTable = null;
utilities.lazyLoad(exports, ["VpcRouteTable"], () => require("./vpcRouteTable"));
exports.VpcSecurityGroup = null;
utilities.lazyLoad(exports, ["VpcSecurityGroup"], () => require("./vpcSecurityGroup"));
exports.VpcSubnet = null;
utilities.lazyLoad(exports, ["VpcSubnet"], () => require("./vpcSubnet"));
exports.Provider = null;
utilities.lazyLoad(exports, ["Provider"], () => require("./provider"));
// Export sub-modules:
const types = __importStar(require("./types"));
exports.types = types;
const _module = {
    version: utilities.getVersion(),
    construct: (name, type, urn) => {
        switch (type) {
            case "yandex:index/computeDisk:ComputeDisk":
                return new exports.ComputeDisk(name, undefined, { urn });
            case "yandex:index/computeInstance:ComputeInstance":
                return new exports.ComputeInstance(name, undefined, { urn });
            case "yandex:index/computePlacementGroup:ComputePlacementGroup":
                return new exports.ComputePlacementGroup(name, undefined, { urn });
            case "yandex:index/iamServiceAccount:IamServiceAccount":
                return new exports.IamServiceAccount(name, undefined, { urn });
            case "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey":
                return new exports.IamServiceAccountStaticAccessKey(name, undefined, { urn });
            case "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer":
                return new exports.LbNetworkLoadBalancer(name, undefined, { urn });
            case "yandex:index/lbTargetGroup:LbTargetGroup":
                return new exports.LbTargetGroup(name, undefined, { urn });
            case "yandex:index/lockboxSecret:LockboxSecret":
                return new exports.LockboxSecret(name, undefined, { urn });
            case "yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding":
                return new exports.LockboxSecretIamBinding(name, undefined, { urn });
            case "yandex:index/lockboxSecretVersion:LockboxSecretVersion":
                return new exports.LockboxSecretVersion(name, undefined, { urn });
            case "yandex:index/resourcemanagerFolderIamMember:ResourcemanagerFolderIamMember":
                return new exports.ResourcemanagerFolderIamMember(name, undefined, { urn });
            case "yandex:index/storageBucket:StorageBucket":
                return new exports.StorageBucket(name, undefined, { urn });
            case "yandex:index/vpcAddress:VpcAddress":
                return new exports.VpcAddress(name, undefined, { urn });
            case "yandex:index/vpcGateway:VpcGateway":
                return new exports.VpcGateway(name, undefined, { urn });
            case "yandex:index/vpcNetwork:VpcNetwork":
                return new exports.VpcNetwork(name, undefined, { urn });
            case "yandex:index/vpcRouteTable:VpcRouteTable":
                return new exports.VpcRouteTable(name, undefined, { urn });
            case "yandex:index/vpcSecurityGroup:VpcSecurityGroup":
                return new exports.VpcSecurityGroup(name, undefined, { urn });
            case "yandex:index/vpcSubnet:VpcSubnet":
                return new exports.VpcSubnet(name, undefined, { urn });
            default:
                throw new Error(`unknown resource type ${type}`);
        }
    },
};
pulumi.runtime.registerResourceModule("yandex", "index", _module);
pulumi.runtime.registerResourcePackage("yandex", {
    version: utilities.getVersion(),
    constructProvider: (name, type, urn) => {
        if (type !== "pulumi:providers:yandex") {
            throw new Error(`unknown provider type ${type}`);
        }
        return new exports.Provider(name, undefined, { urn });
    },
});
//# sourceMappingURL=index.js.map
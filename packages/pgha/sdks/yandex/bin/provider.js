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
exports.Provider = void 0;
const pulumi = __importStar(require("@pulumi/pulumi"));
const utilities = __importStar(require("./utilities"));
/**
 * The provider type for the yandex package (`pulumi:providers:yandex`). By default, resources use
 * package-wide configuration settings (`yandex:*` stack config); an explicit `Provider` instance may be
 * created and passed during resource construction for fine-grained control.
 */
class Provider extends pulumi.ProviderResource {
    /** @internal */
    static __pulumiType = 'yandex';
    /**
     * Returns true if the given object is an instance of Provider.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj) {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === "pulumi:providers:" + Provider.__pulumiType;
    }
    /**
     * Create a Provider resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name, args, opts) {
        let resourceInputs = {};
        opts = opts || {};
        {
            resourceInputs["cloudId"] = args?.cloudId;
            resourceInputs["endpoint"] = args?.endpoint;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["insecure"] = pulumi.output(args?.insecure).apply(JSON.stringify);
            resourceInputs["maxRetries"] = pulumi.output(args?.maxRetries).apply(JSON.stringify);
            resourceInputs["organizationId"] = args?.organizationId;
            resourceInputs["plaintext"] = pulumi.output(args?.plaintext).apply(JSON.stringify);
            resourceInputs["serviceAccountKeyFile"] = args?.serviceAccountKeyFile;
            resourceInputs["storageAccessKey"] = args?.storageAccessKey;
            resourceInputs["storageEndpoint"] = args?.storageEndpoint;
            resourceInputs["storageSecretKey"] = args?.storageSecretKey ? pulumi.secret(args.storageSecretKey) : undefined;
            resourceInputs["token"] = args?.token ? pulumi.secret(args.token) : undefined;
            resourceInputs["ymqAccessKey"] = args?.ymqAccessKey;
            resourceInputs["ymqEndpoint"] = args?.ymqEndpoint;
            resourceInputs["ymqSecretKey"] = args?.ymqSecretKey ? pulumi.secret(args.ymqSecretKey) : undefined;
            resourceInputs["zone"] = args?.zone;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        const secretOpts = { additionalSecretOutputs: ["storageSecretKey", "token", "ymqSecretKey"] };
        opts = pulumi.mergeOptions(opts, secretOpts);
        super(Provider.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}
exports.Provider = Provider;
//# sourceMappingURL=provider.js.map
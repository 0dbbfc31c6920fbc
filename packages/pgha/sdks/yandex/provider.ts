// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * The provider type for the yandex package (`pulumi:providers:yandex`). By default, resources use
 * package-wide configuration settings (`yandex:*` stack config); an explicit `Provider` instance may be
 * created and passed during resource construction for fine-grained control.
 */
export class Provider extends pulumi.ProviderResource {
    /** @internal */
    public static readonly __pulumiType = 'yandex';

    /**
     * Returns true if the given object is an instance of Provider.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is Provider {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === "pulumi:providers:" + Provider.__pulumiType;
    }

    declare public readonly cloudId: pulumi.Output<string | undefined>;
    declare public readonly endpoint: pulumi.Output<string | undefined>;
    declare public readonly folderId: pulumi.Output<string | undefined>;
    declare public readonly organizationId: pulumi.Output<string | undefined>;
    declare public readonly serviceAccountKeyFile: pulumi.Output<string | undefined>;
    declare public readonly storageAccessKey: pulumi.Output<string | undefined>;
    declare public readonly storageEndpoint: pulumi.Output<string | undefined>;
    declare public readonly storageSecretKey: pulumi.Output<string | undefined>;
    declare public readonly token: pulumi.Output<string | undefined>;
    declare public readonly ymqAccessKey: pulumi.Output<string | undefined>;
    declare public readonly ymqEndpoint: pulumi.Output<string | undefined>;
    declare public readonly ymqSecretKey: pulumi.Output<string | undefined>;
    declare public readonly zone: pulumi.Output<string | undefined>;

    /**
     * Create a Provider resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: ProviderArgs, opts?: pulumi.ResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
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

/**
 * The set of arguments for constructing a Provider resource.
 */
export interface ProviderArgs {
    cloudId?: pulumi.Input<string | undefined>;
    endpoint?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    insecure?: pulumi.Input<boolean | undefined>;
    maxRetries?: pulumi.Input<number | undefined>;
    organizationId?: pulumi.Input<string | undefined>;
    plaintext?: pulumi.Input<boolean | undefined>;
    serviceAccountKeyFile?: pulumi.Input<string | undefined>;
    storageAccessKey?: pulumi.Input<string | undefined>;
    storageEndpoint?: pulumi.Input<string | undefined>;
    storageSecretKey?: pulumi.Input<string | undefined>;
    token?: pulumi.Input<string | undefined>;
    ymqAccessKey?: pulumi.Input<string | undefined>;
    ymqEndpoint?: pulumi.Input<string | undefined>;
    ymqSecretKey?: pulumi.Input<string | undefined>;
    zone?: pulumi.Input<string | undefined>;
}

// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * `yandex:index/lockboxSecret:LockboxSecret` (Terraform `yandex_lockbox_secret`).
 */
export class LockboxSecret extends pulumi.CustomResource {
    /**
     * Get an existing LockboxSecret resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: LockboxSecretState, opts?: pulumi.CustomResourceOptions): LockboxSecret {
        return new LockboxSecret(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/lockboxSecret:LockboxSecret';

    /**
     * Returns true if the given object is an instance of LockboxSecret.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is LockboxSecret {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === LockboxSecret.__pulumiType;
    }

    declare public /*out*/ readonly createdAt: pulumi.Output<string>;
    declare public readonly deletionProtection: pulumi.Output<boolean | undefined>;
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly folderId: pulumi.Output<string>;
    declare public readonly kmsKeyId: pulumi.Output<string | undefined>;
    declare public readonly labels: pulumi.Output<{[key: string]: string} | undefined>;
    declare public readonly name: pulumi.Output<string | undefined>;
    declare public /*out*/ readonly status: pulumi.Output<string>;

    /**
     * Create a LockboxSecret resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: LockboxSecretArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: LockboxSecretArgs | LockboxSecretState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as LockboxSecretState | undefined;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["deletionProtection"] = state?.deletionProtection;
            resourceInputs["description"] = state?.description;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["kmsKeyId"] = state?.kmsKeyId;
            resourceInputs["labels"] = state?.labels;
            resourceInputs["name"] = state?.name;
            resourceInputs["status"] = state?.status;
        } else {
            const args = argsOrState as LockboxSecretArgs | undefined;
            resourceInputs["deletionProtection"] = args?.deletionProtection;
            resourceInputs["description"] = args?.description;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["kmsKeyId"] = args?.kmsKeyId;
            resourceInputs["labels"] = args?.labels;
            resourceInputs["name"] = args?.name;
            resourceInputs["createdAt"] = undefined /*out*/;
            resourceInputs["status"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(LockboxSecret.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering LockboxSecret resources.
 */
export interface LockboxSecretState {
    createdAt?: pulumi.Input<string | undefined>;
    deletionProtection?: pulumi.Input<boolean | undefined>;
    description?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    kmsKeyId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
    status?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a LockboxSecret resource.
 */
export interface LockboxSecretArgs {
    deletionProtection?: pulumi.Input<boolean | undefined>;
    description?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    kmsKeyId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
}

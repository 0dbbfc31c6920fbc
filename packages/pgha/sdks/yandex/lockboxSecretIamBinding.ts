// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * `yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding` (Terraform `yandex_lockbox_secret_iam_binding`).
 */
export class LockboxSecretIamBinding extends pulumi.CustomResource {
    /**
     * Get an existing LockboxSecretIamBinding resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: LockboxSecretIamBindingState, opts?: pulumi.CustomResourceOptions): LockboxSecretIamBinding {
        return new LockboxSecretIamBinding(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding';

    /**
     * Returns true if the given object is an instance of LockboxSecretIamBinding.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is LockboxSecretIamBinding {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === LockboxSecretIamBinding.__pulumiType;
    }

    declare public readonly members: pulumi.Output<string[]>;
    declare public readonly role: pulumi.Output<string>;
    declare public readonly secretId: pulumi.Output<string>;

    /**
     * Create a LockboxSecretIamBinding resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: LockboxSecretIamBindingArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: LockboxSecretIamBindingArgs | LockboxSecretIamBindingState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as LockboxSecretIamBindingState | undefined;
            resourceInputs["members"] = state?.members;
            resourceInputs["role"] = state?.role;
            resourceInputs["secretId"] = state?.secretId;
        } else {
            const args = argsOrState as LockboxSecretIamBindingArgs | undefined;
            if (args?.members === undefined && !opts.urn) {
                throw new Error("Missing required property 'members'");
            }
            if (args?.role === undefined && !opts.urn) {
                throw new Error("Missing required property 'role'");
            }
            if (args?.secretId === undefined && !opts.urn) {
                throw new Error("Missing required property 'secretId'");
            }
            resourceInputs["members"] = args?.members;
            resourceInputs["role"] = args?.role;
            resourceInputs["secretId"] = args?.secretId;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(LockboxSecretIamBinding.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering LockboxSecretIamBinding resources.
 */
export interface LockboxSecretIamBindingState {
    members?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    role?: pulumi.Input<string | undefined>;
    secretId?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a LockboxSecretIamBinding resource.
 */
export interface LockboxSecretIamBindingArgs {
    members: pulumi.Input<pulumi.Input<string>[]>;
    role: pulumi.Input<string>;
    secretId: pulumi.Input<string>;
}

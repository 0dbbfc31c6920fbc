// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * `yandex:index/lockboxSecretVersion:LockboxSecretVersion` (Terraform `yandex_lockbox_secret_version`).
 */
export class LockboxSecretVersion extends pulumi.CustomResource {
    /**
     * Get an existing LockboxSecretVersion resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: LockboxSecretVersionState, opts?: pulumi.CustomResourceOptions): LockboxSecretVersion {
        return new LockboxSecretVersion(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/lockboxSecretVersion:LockboxSecretVersion';

    /**
     * Returns true if the given object is an instance of LockboxSecretVersion.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is LockboxSecretVersion {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === LockboxSecretVersion.__pulumiType;
    }

    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly entries: pulumi.Output<outputs.LockboxSecretVersionEntry[] | undefined>;
    declare public readonly secretId: pulumi.Output<string>;

    /**
     * Create a LockboxSecretVersion resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: LockboxSecretVersionArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: LockboxSecretVersionArgs | LockboxSecretVersionState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as LockboxSecretVersionState | undefined;
            resourceInputs["description"] = state?.description;
            resourceInputs["entries"] = state?.entries;
            resourceInputs["secretId"] = state?.secretId;
        } else {
            const args = argsOrState as LockboxSecretVersionArgs | undefined;
            if (args?.secretId === undefined && !opts.urn) {
                throw new Error("Missing required property 'secretId'");
            }
            resourceInputs["description"] = args?.description;
            resourceInputs["entries"] = args?.entries;
            resourceInputs["secretId"] = args?.secretId;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(LockboxSecretVersion.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering LockboxSecretVersion resources.
 */
export interface LockboxSecretVersionState {
    description?: pulumi.Input<string | undefined>;
    entries?: pulumi.Input<pulumi.Input<inputs.LockboxSecretVersionEntry>[] | undefined>;
    secretId?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a LockboxSecretVersion resource.
 */
export interface LockboxSecretVersionArgs {
    description?: pulumi.Input<string | undefined>;
    entries?: pulumi.Input<pulumi.Input<inputs.LockboxSecretVersionEntry>[] | undefined>;
    secretId: pulumi.Input<string>;
}

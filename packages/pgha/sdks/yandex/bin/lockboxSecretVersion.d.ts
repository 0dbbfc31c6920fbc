import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/lockboxSecretVersion:LockboxSecretVersion` (Terraform `yandex_lockbox_secret_version`).
 */
export declare class LockboxSecretVersion extends pulumi.CustomResource {
    /**
     * Get an existing LockboxSecretVersion resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: LockboxSecretVersionState, opts?: pulumi.CustomResourceOptions): LockboxSecretVersion;
    /**
     * Returns true if the given object is an instance of LockboxSecretVersion.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is LockboxSecretVersion;
    readonly description: pulumi.Output<string | undefined>;
    readonly entries: pulumi.Output<outputs.LockboxSecretVersionEntry[] | undefined>;
    readonly secretId: pulumi.Output<string>;
    /**
     * Create a LockboxSecretVersion resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: LockboxSecretVersionArgs, opts?: pulumi.CustomResourceOptions);
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
//# sourceMappingURL=lockboxSecretVersion.d.ts.map
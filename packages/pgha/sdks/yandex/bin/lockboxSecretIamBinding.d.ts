import * as pulumi from "@pulumi/pulumi";
/**
 * `yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding` (Terraform `yandex_lockbox_secret_iam_binding`).
 */
export declare class LockboxSecretIamBinding extends pulumi.CustomResource {
    /**
     * Get an existing LockboxSecretIamBinding resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: LockboxSecretIamBindingState, opts?: pulumi.CustomResourceOptions): LockboxSecretIamBinding;
    /**
     * Returns true if the given object is an instance of LockboxSecretIamBinding.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is LockboxSecretIamBinding;
    readonly members: pulumi.Output<string[]>;
    readonly role: pulumi.Output<string>;
    readonly secretId: pulumi.Output<string>;
    /**
     * Create a LockboxSecretIamBinding resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: LockboxSecretIamBindingArgs, opts?: pulumi.CustomResourceOptions);
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
//# sourceMappingURL=lockboxSecretIamBinding.d.ts.map
import * as pulumi from "@pulumi/pulumi";
/**
 * `yandex:index/lockboxSecret:LockboxSecret` (Terraform `yandex_lockbox_secret`).
 */
export declare class LockboxSecret extends pulumi.CustomResource {
    /**
     * Get an existing LockboxSecret resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: LockboxSecretState, opts?: pulumi.CustomResourceOptions): LockboxSecret;
    /**
     * Returns true if the given object is an instance of LockboxSecret.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is LockboxSecret;
    readonly createdAt: pulumi.Output<string>;
    readonly deletionProtection: pulumi.Output<boolean | undefined>;
    readonly description: pulumi.Output<string | undefined>;
    readonly folderId: pulumi.Output<string>;
    readonly kmsKeyId: pulumi.Output<string | undefined>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    } | undefined>;
    readonly name: pulumi.Output<string | undefined>;
    readonly status: pulumi.Output<string>;
    /**
     * Create a LockboxSecret resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: LockboxSecretArgs, opts?: pulumi.CustomResourceOptions);
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
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
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
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=lockboxSecret.d.ts.map
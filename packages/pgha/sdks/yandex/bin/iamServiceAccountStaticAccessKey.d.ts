import * as pulumi from "@pulumi/pulumi";
/**
 * `yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey` (Terraform `yandex_iam_service_account_static_access_key`).
 */
export declare class IamServiceAccountStaticAccessKey extends pulumi.CustomResource {
    /**
     * Get an existing IamServiceAccountStaticAccessKey resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: IamServiceAccountStaticAccessKeyState, opts?: pulumi.CustomResourceOptions): IamServiceAccountStaticAccessKey;
    /**
     * Returns true if the given object is an instance of IamServiceAccountStaticAccessKey.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is IamServiceAccountStaticAccessKey;
    readonly accessKey: pulumi.Output<string>;
    readonly createdAt: pulumi.Output<string>;
    readonly encryptedSecretKey: pulumi.Output<string>;
    readonly keyFingerprint: pulumi.Output<string>;
    readonly pgpKey: pulumi.Output<string | undefined>;
    readonly secretKey: pulumi.Output<string>;
    readonly serviceAccountId: pulumi.Output<string>;
    /**
     * Create a IamServiceAccountStaticAccessKey resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: IamServiceAccountStaticAccessKeyArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering IamServiceAccountStaticAccessKey resources.
 */
export interface IamServiceAccountStaticAccessKeyState {
    accessKey?: pulumi.Input<string | undefined>;
    createdAt?: pulumi.Input<string | undefined>;
    encryptedSecretKey?: pulumi.Input<string | undefined>;
    keyFingerprint?: pulumi.Input<string | undefined>;
    pgpKey?: pulumi.Input<string | undefined>;
    secretKey?: pulumi.Input<string | undefined>;
    serviceAccountId?: pulumi.Input<string | undefined>;
}
/**
 * The set of arguments for constructing a IamServiceAccountStaticAccessKey resource.
 */
export interface IamServiceAccountStaticAccessKeyArgs {
    pgpKey?: pulumi.Input<string | undefined>;
    serviceAccountId: pulumi.Input<string>;
}
//# sourceMappingURL=iamServiceAccountStaticAccessKey.d.ts.map
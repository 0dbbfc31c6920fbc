import * as pulumi from "@pulumi/pulumi";
/**
 * `yandex:index/iamServiceAccount:IamServiceAccount` (Terraform `yandex_iam_service_account`).
 */
export declare class IamServiceAccount extends pulumi.CustomResource {
    /**
     * Get an existing IamServiceAccount resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: IamServiceAccountState, opts?: pulumi.CustomResourceOptions): IamServiceAccount;
    /**
     * Returns true if the given object is an instance of IamServiceAccount.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is IamServiceAccount;
    readonly createdAt: pulumi.Output<string>;
    readonly folderId: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;
    /**
     * Create a IamServiceAccount resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: IamServiceAccountArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering IamServiceAccount resources.
 */
export interface IamServiceAccountState {
    createdAt?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    name?: pulumi.Input<string | undefined>;
}
/**
 * The set of arguments for constructing a IamServiceAccount resource.
 */
export interface IamServiceAccountArgs {
    folderId?: pulumi.Input<string | undefined>;
    name?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=iamServiceAccount.d.ts.map
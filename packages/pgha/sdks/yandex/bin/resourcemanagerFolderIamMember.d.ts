import * as pulumi from "@pulumi/pulumi";
/**
 * `yandex:index/resourcemanagerFolderIamMember:ResourcemanagerFolderIamMember` (Terraform `yandex_resourcemanager_folder_iam_member`).
 */
export declare class ResourcemanagerFolderIamMember extends pulumi.CustomResource {
    /**
     * Get an existing ResourcemanagerFolderIamMember resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: ResourcemanagerFolderIamMemberState, opts?: pulumi.CustomResourceOptions): ResourcemanagerFolderIamMember;
    /**
     * Returns true if the given object is an instance of ResourcemanagerFolderIamMember.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is ResourcemanagerFolderIamMember;
    readonly folderId: pulumi.Output<string>;
    readonly member: pulumi.Output<string>;
    readonly role: pulumi.Output<string>;
    readonly sleepAfter: pulumi.Output<number | undefined>;
    /**
     * Create a ResourcemanagerFolderIamMember resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: ResourcemanagerFolderIamMemberArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering ResourcemanagerFolderIamMember resources.
 */
export interface ResourcemanagerFolderIamMemberState {
    folderId?: pulumi.Input<string | undefined>;
    member?: pulumi.Input<string | undefined>;
    role?: pulumi.Input<string | undefined>;
    sleepAfter?: pulumi.Input<number | undefined>;
}
/**
 * The set of arguments for constructing a ResourcemanagerFolderIamMember resource.
 */
export interface ResourcemanagerFolderIamMemberArgs {
    folderId: pulumi.Input<string>;
    member: pulumi.Input<string>;
    role: pulumi.Input<string>;
    sleepAfter?: pulumi.Input<number | undefined>;
}
//# sourceMappingURL=resourcemanagerFolderIamMember.d.ts.map
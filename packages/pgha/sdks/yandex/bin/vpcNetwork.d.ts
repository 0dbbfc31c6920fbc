import * as pulumi from "@pulumi/pulumi";
/**
 * `yandex:index/vpcNetwork:VpcNetwork` (Terraform `yandex_vpc_network`).
 */
export declare class VpcNetwork extends pulumi.CustomResource {
    /**
     * Get an existing VpcNetwork resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcNetworkState, opts?: pulumi.CustomResourceOptions): VpcNetwork;
    /**
     * Returns true if the given object is an instance of VpcNetwork.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is VpcNetwork;
    readonly createdAt: pulumi.Output<string>;
    readonly defaultSecurityGroupId: pulumi.Output<string>;
    readonly folderId: pulumi.Output<string>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    }>;
    readonly name: pulumi.Output<string>;
    readonly subnetIds: pulumi.Output<string[]>;
    /**
     * Create a VpcNetwork resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: VpcNetworkArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering VpcNetwork resources.
 */
export interface VpcNetworkState {
    createdAt?: pulumi.Input<string | undefined>;
    defaultSecurityGroupId?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    subnetIds?: pulumi.Input<pulumi.Input<string>[] | undefined>;
}
/**
 * The set of arguments for constructing a VpcNetwork resource.
 */
export interface VpcNetworkArgs {
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=vpcNetwork.d.ts.map
import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/vpcGateway:VpcGateway` (Terraform `yandex_vpc_gateway`).
 */
export declare class VpcGateway extends pulumi.CustomResource {
    /**
     * Get an existing VpcGateway resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcGatewayState, opts?: pulumi.CustomResourceOptions): VpcGateway;
    /**
     * Returns true if the given object is an instance of VpcGateway.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is VpcGateway;
    readonly createdAt: pulumi.Output<string | undefined>;
    readonly description: pulumi.Output<string | undefined>;
    readonly folderId: pulumi.Output<string | undefined>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    } | undefined>;
    readonly name: pulumi.Output<string | undefined>;
    readonly sharedEgressGateway: pulumi.Output<outputs.VpcGatewaySharedEgressGateway | undefined>;
    /**
     * Create a VpcGateway resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: VpcGatewayArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering VpcGateway resources.
 */
export interface VpcGatewayState {
    createdAt?: pulumi.Input<string | undefined>;
    description?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    sharedEgressGateway?: pulumi.Input<inputs.VpcGatewaySharedEgressGateway | undefined>;
}
/**
 * The set of arguments for constructing a VpcGateway resource.
 */
export interface VpcGatewayArgs {
    description?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    sharedEgressGateway?: pulumi.Input<inputs.VpcGatewaySharedEgressGateway | undefined>;
}
//# sourceMappingURL=vpcGateway.d.ts.map
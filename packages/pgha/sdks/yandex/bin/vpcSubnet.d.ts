import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/vpcSubnet:VpcSubnet` (Terraform `yandex_vpc_subnet`).
 */
export declare class VpcSubnet extends pulumi.CustomResource {
    /**
     * Get an existing VpcSubnet resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcSubnetState, opts?: pulumi.CustomResourceOptions): VpcSubnet;
    /**
     * Returns true if the given object is an instance of VpcSubnet.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is VpcSubnet;
    readonly createdAt: pulumi.Output<string>;
    readonly dhcpOptions: pulumi.Output<outputs.VpcSubnetDhcpOptions | undefined>;
    readonly folderId: pulumi.Output<string>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    }>;
    readonly name: pulumi.Output<string>;
    readonly networkId: pulumi.Output<string>;
    readonly routeTableId: pulumi.Output<string | undefined>;
    readonly v4CidrBlocks: pulumi.Output<string[]>;
    readonly v6CidrBlocks: pulumi.Output<string[]>;
    readonly zone: pulumi.Output<string>;
    /**
     * Create a VpcSubnet resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: VpcSubnetArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering VpcSubnet resources.
 */
export interface VpcSubnetState {
    createdAt?: pulumi.Input<string | undefined>;
    dhcpOptions?: pulumi.Input<inputs.VpcSubnetDhcpOptions | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    networkId?: pulumi.Input<string | undefined>;
    routeTableId?: pulumi.Input<string | undefined>;
    v4CidrBlocks?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    v6CidrBlocks?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    zone?: pulumi.Input<string | undefined>;
}
/**
 * The set of arguments for constructing a VpcSubnet resource.
 */
export interface VpcSubnetArgs {
    dhcpOptions?: pulumi.Input<inputs.VpcSubnetDhcpOptions | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    networkId: pulumi.Input<string>;
    routeTableId?: pulumi.Input<string | undefined>;
    v4CidrBlocks: pulumi.Input<pulumi.Input<string>[]>;
    zone?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=vpcSubnet.d.ts.map
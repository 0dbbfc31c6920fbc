import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/vpcAddress:VpcAddress` (Terraform `yandex_vpc_address`).
 */
export declare class VpcAddress extends pulumi.CustomResource {
    /**
     * Get an existing VpcAddress resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcAddressState, opts?: pulumi.CustomResourceOptions): VpcAddress;
    /**
     * Returns true if the given object is an instance of VpcAddress.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is VpcAddress;
    readonly createdAt: pulumi.Output<string>;
    readonly externalIpv4Address: pulumi.Output<outputs.VpcAddressExternalIpv4Address | undefined>;
    readonly folderId: pulumi.Output<string>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    }>;
    readonly name: pulumi.Output<string>;
    readonly reserved: pulumi.Output<boolean>;
    readonly used: pulumi.Output<boolean>;
    /**
     * Create a VpcAddress resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: VpcAddressArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering VpcAddress resources.
 */
export interface VpcAddressState {
    createdAt?: pulumi.Input<string | undefined>;
    externalIpv4Address?: pulumi.Input<inputs.VpcAddressExternalIpv4Address | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    reserved?: pulumi.Input<boolean | undefined>;
    used?: pulumi.Input<boolean | undefined>;
}
/**
 * The set of arguments for constructing a VpcAddress resource.
 */
export interface VpcAddressArgs {
    externalIpv4Address?: pulumi.Input<inputs.VpcAddressExternalIpv4Address | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=vpcAddress.d.ts.map
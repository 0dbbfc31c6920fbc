import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/vpcSecurityGroup:VpcSecurityGroup` (Terraform `yandex_vpc_security_group`).
 */
export declare class VpcSecurityGroup extends pulumi.CustomResource {
    /**
     * Get an existing VpcSecurityGroup resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcSecurityGroupState, opts?: pulumi.CustomResourceOptions): VpcSecurityGroup;
    /**
     * Returns true if the given object is an instance of VpcSecurityGroup.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is VpcSecurityGroup;
    readonly createdAt: pulumi.Output<string>;
    readonly egresses: pulumi.Output<outputs.VpcSecurityGroupEgress[]>;
    readonly folderId: pulumi.Output<string>;
    readonly ingresses: pulumi.Output<outputs.VpcSecurityGroupIngress[]>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    }>;
    readonly name: pulumi.Output<string>;
    readonly networkId: pulumi.Output<string>;
    readonly status: pulumi.Output<string>;
    /**
     * Create a VpcSecurityGroup resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: VpcSecurityGroupArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering VpcSecurityGroup resources.
 */
export interface VpcSecurityGroupState {
    createdAt?: pulumi.Input<string | undefined>;
    egresses?: pulumi.Input<pulumi.Input<inputs.VpcSecurityGroupEgress>[] | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    ingresses?: pulumi.Input<pulumi.Input<inputs.VpcSecurityGroupIngress>[] | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    networkId?: pulumi.Input<string | undefined>;
    status?: pulumi.Input<string | undefined>;
}
/**
 * The set of arguments for constructing a VpcSecurityGroup resource.
 */
export interface VpcSecurityGroupArgs {
    egresses?: pulumi.Input<pulumi.Input<inputs.VpcSecurityGroupEgress>[] | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    ingresses?: pulumi.Input<pulumi.Input<inputs.VpcSecurityGroupIngress>[] | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    networkId: pulumi.Input<string>;
}
//# sourceMappingURL=vpcSecurityGroup.d.ts.map
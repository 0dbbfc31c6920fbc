import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer` (Terraform `yandex_lb_network_load_balancer`).
 */
export declare class LbNetworkLoadBalancer extends pulumi.CustomResource {
    /**
     * Get an existing LbNetworkLoadBalancer resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: LbNetworkLoadBalancerState, opts?: pulumi.CustomResourceOptions): LbNetworkLoadBalancer;
    /**
     * Returns true if the given object is an instance of LbNetworkLoadBalancer.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is LbNetworkLoadBalancer;
    readonly attachedTargetGroups: pulumi.Output<outputs.LbNetworkLoadBalancerAttachedTargetGroup[] | undefined>;
    readonly createdAt: pulumi.Output<string>;
    readonly folderId: pulumi.Output<string>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    } | undefined>;
    readonly listeners: pulumi.Output<outputs.LbNetworkLoadBalancerListener[] | undefined>;
    readonly name: pulumi.Output<string>;
    readonly regionId: pulumi.Output<string | undefined>;
    readonly type: pulumi.Output<string | undefined>;
    /**
     * Create a LbNetworkLoadBalancer resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: LbNetworkLoadBalancerArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering LbNetworkLoadBalancer resources.
 */
export interface LbNetworkLoadBalancerState {
    attachedTargetGroups?: pulumi.Input<pulumi.Input<inputs.LbNetworkLoadBalancerAttachedTargetGroup>[] | undefined>;
    createdAt?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    listeners?: pulumi.Input<pulumi.Input<inputs.LbNetworkLoadBalancerListener>[] | undefined>;
    name?: pulumi.Input<string | undefined>;
    regionId?: pulumi.Input<string | undefined>;
    type?: pulumi.Input<string | undefined>;
}
/**
 * The set of arguments for constructing a LbNetworkLoadBalancer resource.
 */
export interface LbNetworkLoadBalancerArgs {
    attachedTargetGroups?: pulumi.Input<pulumi.Input<inputs.LbNetworkLoadBalancerAttachedTargetGroup>[] | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    listeners?: pulumi.Input<pulumi.Input<inputs.LbNetworkLoadBalancerListener>[] | undefined>;
    name?: pulumi.Input<string | undefined>;
    regionId?: pulumi.Input<string | undefined>;
    type?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=lbNetworkLoadBalancer.d.ts.map
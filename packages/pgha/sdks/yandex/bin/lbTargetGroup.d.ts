import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/lbTargetGroup:LbTargetGroup` (Terraform `yandex_lb_target_group`).
 */
export declare class LbTargetGroup extends pulumi.CustomResource {
    /**
     * Get an existing LbTargetGroup resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: LbTargetGroupState, opts?: pulumi.CustomResourceOptions): LbTargetGroup;
    /**
     * Returns true if the given object is an instance of LbTargetGroup.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is LbTargetGroup;
    readonly createdAt: pulumi.Output<string>;
    readonly folderId: pulumi.Output<string>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    } | undefined>;
    readonly name: pulumi.Output<string>;
    readonly regionId: pulumi.Output<string | undefined>;
    readonly targets: pulumi.Output<outputs.LbTargetGroupTarget[] | undefined>;
    /**
     * Create a LbTargetGroup resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: LbTargetGroupArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering LbTargetGroup resources.
 */
export interface LbTargetGroupState {
    createdAt?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    regionId?: pulumi.Input<string | undefined>;
    targets?: pulumi.Input<pulumi.Input<inputs.LbTargetGroupTarget>[] | undefined>;
}
/**
 * The set of arguments for constructing a LbTargetGroup resource.
 */
export interface LbTargetGroupArgs {
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    regionId?: pulumi.Input<string | undefined>;
    targets?: pulumi.Input<pulumi.Input<inputs.LbTargetGroupTarget>[] | undefined>;
}
//# sourceMappingURL=lbTargetGroup.d.ts.map
import * as pulumi from "@pulumi/pulumi";
/**
 * `yandex:index/computePlacementGroup:ComputePlacementGroup` (Terraform `yandex_compute_placement_group`).
 */
export declare class ComputePlacementGroup extends pulumi.CustomResource {
    /**
     * Get an existing ComputePlacementGroup resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: ComputePlacementGroupState, opts?: pulumi.CustomResourceOptions): ComputePlacementGroup;
    /**
     * Returns true if the given object is an instance of ComputePlacementGroup.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is ComputePlacementGroup;
    readonly createdAt: pulumi.Output<string>;
    readonly folderId: pulumi.Output<string>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    } | undefined>;
    readonly name: pulumi.Output<string>;
    /**
     * Create a ComputePlacementGroup resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: ComputePlacementGroupArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering ComputePlacementGroup resources.
 */
export interface ComputePlacementGroupState {
    createdAt?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
}
/**
 * The set of arguments for constructing a ComputePlacementGroup resource.
 */
export interface ComputePlacementGroupArgs {
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=computePlacementGroup.d.ts.map
import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/computeInstance:ComputeInstance` (Terraform `yandex_compute_instance`).
 */
export declare class ComputeInstance extends pulumi.CustomResource {
    /**
     * Get an existing ComputeInstance resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: ComputeInstanceState, opts?: pulumi.CustomResourceOptions): ComputeInstance;
    /**
     * Returns true if the given object is an instance of ComputeInstance.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is ComputeInstance;
    readonly allowStoppingForUpdate: pulumi.Output<boolean | undefined>;
    readonly bootDisk: pulumi.Output<outputs.ComputeInstanceBootDisk>;
    readonly createdAt: pulumi.Output<string>;
    readonly folderId: pulumi.Output<string>;
    readonly fqdn: pulumi.Output<string>;
    readonly hostname: pulumi.Output<string>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    } | undefined>;
    readonly metadata: pulumi.Output<{
        [key: string]: string;
    } | undefined>;
    readonly name: pulumi.Output<string>;
    readonly networkAccelerationType: pulumi.Output<string | undefined>;
    readonly networkInterfaces: pulumi.Output<outputs.ComputeInstanceNetworkInterface[]>;
    readonly placementPolicy: pulumi.Output<outputs.ComputeInstancePlacementPolicy>;
    readonly platformId: pulumi.Output<string | undefined>;
    readonly resources: pulumi.Output<outputs.ComputeInstanceResources>;
    readonly schedulingPolicy: pulumi.Output<outputs.ComputeInstanceSchedulingPolicy>;
    readonly secondaryDisks: pulumi.Output<outputs.ComputeInstanceSecondaryDisk[] | undefined>;
    readonly serviceAccountId: pulumi.Output<string>;
    readonly status: pulumi.Output<string>;
    readonly zone: pulumi.Output<string>;
    /**
     * Create a ComputeInstance resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: ComputeInstanceArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering ComputeInstance resources.
 */
export interface ComputeInstanceState {
    allowStoppingForUpdate?: pulumi.Input<boolean | undefined>;
    bootDisk?: pulumi.Input<inputs.ComputeInstanceBootDisk | undefined>;
    createdAt?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    fqdn?: pulumi.Input<string | undefined>;
    hostname?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    metadata?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    networkAccelerationType?: pulumi.Input<string | undefined>;
    networkInterfaces?: pulumi.Input<pulumi.Input<inputs.ComputeInstanceNetworkInterface>[] | undefined>;
    placementPolicy?: pulumi.Input<inputs.ComputeInstancePlacementPolicy | undefined>;
    platformId?: pulumi.Input<string | undefined>;
    resources?: pulumi.Input<inputs.ComputeInstanceResources | undefined>;
    schedulingPolicy?: pulumi.Input<inputs.ComputeInstanceSchedulingPolicy | undefined>;
    secondaryDisks?: pulumi.Input<pulumi.Input<inputs.ComputeInstanceSecondaryDisk>[] | undefined>;
    serviceAccountId?: pulumi.Input<string | undefined>;
    status?: pulumi.Input<string | undefined>;
    zone?: pulumi.Input<string | undefined>;
}
/**
 * The set of arguments for constructing a ComputeInstance resource.
 */
export interface ComputeInstanceArgs {
    allowStoppingForUpdate?: pulumi.Input<boolean | undefined>;
    bootDisk: pulumi.Input<inputs.ComputeInstanceBootDisk>;
    folderId?: pulumi.Input<string | undefined>;
    hostname?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    metadata?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    networkAccelerationType?: pulumi.Input<string | undefined>;
    networkInterfaces: pulumi.Input<pulumi.Input<inputs.ComputeInstanceNetworkInterface>[]>;
    placementPolicy?: pulumi.Input<inputs.ComputeInstancePlacementPolicy | undefined>;
    platformId?: pulumi.Input<string | undefined>;
    resources: pulumi.Input<inputs.ComputeInstanceResources>;
    schedulingPolicy?: pulumi.Input<inputs.ComputeInstanceSchedulingPolicy | undefined>;
    secondaryDisks?: pulumi.Input<pulumi.Input<inputs.ComputeInstanceSecondaryDisk>[] | undefined>;
    serviceAccountId?: pulumi.Input<string | undefined>;
    zone?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=computeInstance.d.ts.map
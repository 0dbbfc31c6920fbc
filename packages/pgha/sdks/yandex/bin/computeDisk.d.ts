import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/computeDisk:ComputeDisk` (Terraform `yandex_compute_disk`).
 */
export declare class ComputeDisk extends pulumi.CustomResource {
    /**
     * Get an existing ComputeDisk resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: ComputeDiskState, opts?: pulumi.CustomResourceOptions): ComputeDisk;
    /**
     * Returns true if the given object is an instance of ComputeDisk.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is ComputeDisk;
    readonly blockSize: pulumi.Output<number | undefined>;
    readonly createdAt: pulumi.Output<string>;
    readonly diskPlacementPolicy: pulumi.Output<outputs.ComputeDiskDiskPlacementPolicy>;
    readonly folderId: pulumi.Output<string>;
    readonly imageId: pulumi.Output<string | undefined>;
    readonly labels: pulumi.Output<{
        [key: string]: string;
    } | undefined>;
    readonly name: pulumi.Output<string>;
    readonly productIds: pulumi.Output<string[]>;
    readonly size: pulumi.Output<number | undefined>;
    readonly snapshotId: pulumi.Output<string | undefined>;
    readonly status: pulumi.Output<string>;
    readonly type: pulumi.Output<string | undefined>;
    readonly zone: pulumi.Output<string>;
    /**
     * Create a ComputeDisk resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: ComputeDiskArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering ComputeDisk resources.
 */
export interface ComputeDiskState {
    blockSize?: pulumi.Input<number | undefined>;
    createdAt?: pulumi.Input<string | undefined>;
    diskPlacementPolicy?: pulumi.Input<inputs.ComputeDiskDiskPlacementPolicy | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    imageId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    productIds?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    size?: pulumi.Input<number | undefined>;
    snapshotId?: pulumi.Input<string | undefined>;
    status?: pulumi.Input<string | undefined>;
    type?: pulumi.Input<string | undefined>;
    zone?: pulumi.Input<string | undefined>;
}
/**
 * The set of arguments for constructing a ComputeDisk resource.
 */
export interface ComputeDiskArgs {
    blockSize?: pulumi.Input<number | undefined>;
    diskPlacementPolicy?: pulumi.Input<inputs.ComputeDiskDiskPlacementPolicy | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    imageId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{
        [key: string]: pulumi.Input<string>;
    } | undefined>;
    name?: pulumi.Input<string | undefined>;
    size?: pulumi.Input<number | undefined>;
    snapshotId?: pulumi.Input<string | undefined>;
    type?: pulumi.Input<string | undefined>;
    zone?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=computeDisk.d.ts.map
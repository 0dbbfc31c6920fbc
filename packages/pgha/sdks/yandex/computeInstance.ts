// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * `yandex:index/computeInstance:ComputeInstance` (Terraform `yandex_compute_instance`).
 */
export class ComputeInstance extends pulumi.CustomResource {
    /**
     * Get an existing ComputeInstance resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: ComputeInstanceState, opts?: pulumi.CustomResourceOptions): ComputeInstance {
        return new ComputeInstance(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/computeInstance:ComputeInstance';

    /**
     * Returns true if the given object is an instance of ComputeInstance.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is ComputeInstance {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === ComputeInstance.__pulumiType;
    }

    declare public readonly allowStoppingForUpdate: pulumi.Output<boolean | undefined>;
    declare public readonly bootDisk: pulumi.Output<outputs.ComputeInstanceBootDisk>;
    declare public /*out*/ readonly createdAt: pulumi.Output<string>;
    declare public readonly folderId: pulumi.Output<string>;
    declare public /*out*/ readonly fqdn: pulumi.Output<string>;
    declare public readonly hostname: pulumi.Output<string>;
    declare public readonly labels: pulumi.Output<{[key: string]: string} | undefined>;
    declare public readonly metadata: pulumi.Output<{[key: string]: string} | undefined>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly networkAccelerationType: pulumi.Output<string | undefined>;
    declare public readonly networkInterfaces: pulumi.Output<outputs.ComputeInstanceNetworkInterface[]>;
    declare public readonly placementPolicy: pulumi.Output<outputs.ComputeInstancePlacementPolicy>;
    declare public readonly platformId: pulumi.Output<string | undefined>;
    declare public readonly resources: pulumi.Output<outputs.ComputeInstanceResources>;
    declare public readonly schedulingPolicy: pulumi.Output<outputs.ComputeInstanceSchedulingPolicy>;
    declare public readonly secondaryDisks: pulumi.Output<outputs.ComputeInstanceSecondaryDisk[] | undefined>;
    declare public readonly serviceAccountId: pulumi.Output<string>;
    declare public /*out*/ readonly status: pulumi.Output<string>;
    declare public readonly zone: pulumi.Output<string>;

    /**
     * Create a ComputeInstance resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: ComputeInstanceArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: ComputeInstanceArgs | ComputeInstanceState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as ComputeInstanceState | undefined;
            resourceInputs["allowStoppingForUpdate"] = state?.allowStoppingForUpdate;
            resourceInputs["bootDisk"] = state?.bootDisk;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["fqdn"] = state?.fqdn;
            resourceInputs["hostname"] = state?.hostname;
            resourceInputs["labels"] = state?.labels;
            resourceInputs["metadata"] = state?.metadata;
            resourceInputs["name"] = state?.name;
            resourceInputs["networkAccelerationType"] = state?.networkAccelerationType;
            resourceInputs["networkInterfaces"] = state?.networkInterfaces;
            resourceInputs["placementPolicy"] = state?.placementPolicy;
            resourceInputs["platformId"] = state?.platformId;
            resourceInputs["resources"] = state?.resources;
            resourceInputs["schedulingPolicy"] = state?.schedulingPolicy;
            resourceInputs["secondaryDisks"] = state?.secondaryDisks;
            resourceInputs["serviceAccountId"] = state?.serviceAccountId;
            resourceInputs["status"] = state?.status;
            resourceInputs["zone"] = state?.zone;
        } else {
            const args = argsOrState as ComputeInstanceArgs | undefined;
            if (args?.bootDisk === undefined && !opts.urn) {
                throw new Error("Missing required property 'bootDisk'");
            }
            if (args?.networkInterfaces === undefined && !opts.urn) {
                throw new Error("Missing required property 'networkInterfaces'");
            }
            if (args?.resources === undefined && !opts.urn) {
                throw new Error("Missing required property 'resources'");
            }
            resourceInputs["allowStoppingForUpdate"] = args?.allowStoppingForUpdate;
            resourceInputs["bootDisk"] = args?.bootDisk;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["hostname"] = args?.hostname;
            resourceInputs["labels"] = args?.labels;
            resourceInputs["metadata"] = args?.metadata;
            resourceInputs["name"] = args?.name;
            resourceInputs["networkAccelerationType"] = args?.networkAccelerationType;
            resourceInputs["networkInterfaces"] = args?.networkInterfaces;
            resourceInputs["placementPolicy"] = args?.placementPolicy;
            resourceInputs["platformId"] = args?.platformId;
            resourceInputs["resources"] = args?.resources;
            resourceInputs["schedulingPolicy"] = args?.schedulingPolicy;
            resourceInputs["secondaryDisks"] = args?.secondaryDisks;
            resourceInputs["serviceAccountId"] = args?.serviceAccountId;
            resourceInputs["zone"] = args?.zone;
            resourceInputs["createdAt"] = undefined /*out*/;
            resourceInputs["fqdn"] = undefined /*out*/;
            resourceInputs["status"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(ComputeInstance.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
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
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    metadata?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
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
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    metadata?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
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

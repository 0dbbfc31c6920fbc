// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * `yandex:index/vpcNetwork:VpcNetwork` (Terraform `yandex_vpc_network`).
 */
export class VpcNetwork extends pulumi.CustomResource {
    /**
     * Get an existing VpcNetwork resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcNetworkState, opts?: pulumi.CustomResourceOptions): VpcNetwork {
        return new VpcNetwork(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/vpcNetwork:VpcNetwork';

    /**
     * Returns true if the given object is an instance of VpcNetwork.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is VpcNetwork {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === VpcNetwork.__pulumiType;
    }

    declare public /*out*/ readonly createdAt: pulumi.Output<string>;
    declare public /*out*/ readonly defaultSecurityGroupId: pulumi.Output<string>;
    declare public readonly folderId: pulumi.Output<string>;
    declare public readonly labels: pulumi.Output<{[key: string]: string}>;
    declare public readonly name: pulumi.Output<string>;
    declare public /*out*/ readonly subnetIds: pulumi.Output<string[]>;

    /**
     * Create a VpcNetwork resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: VpcNetworkArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: VpcNetworkArgs | VpcNetworkState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as VpcNetworkState | undefined;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["defaultSecurityGroupId"] = state?.defaultSecurityGroupId;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["labels"] = state?.labels;
            resourceInputs["name"] = state?.name;
            resourceInputs["subnetIds"] = state?.subnetIds;
        } else {
            const args = argsOrState as VpcNetworkArgs | undefined;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["labels"] = args?.labels;
            resourceInputs["name"] = args?.name;
            resourceInputs["createdAt"] = undefined /*out*/;
            resourceInputs["defaultSecurityGroupId"] = undefined /*out*/;
            resourceInputs["subnetIds"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(VpcNetwork.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering VpcNetwork resources.
 */
export interface VpcNetworkState {
    createdAt?: pulumi.Input<string | undefined>;
    defaultSecurityGroupId?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
    subnetIds?: pulumi.Input<pulumi.Input<string>[] | undefined>;
}

/**
 * The set of arguments for constructing a VpcNetwork resource.
 */
export interface VpcNetworkArgs {
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
}

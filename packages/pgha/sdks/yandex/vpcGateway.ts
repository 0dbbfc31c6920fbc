// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * `yandex:index/vpcGateway:VpcGateway` (Terraform `yandex_vpc_gateway`).
 */
export class VpcGateway extends pulumi.CustomResource {
    /**
     * Get an existing VpcGateway resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcGatewayState, opts?: pulumi.CustomResourceOptions): VpcGateway {
        return new VpcGateway(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/vpcGateway:VpcGateway';

    /**
     * Returns true if the given object is an instance of VpcGateway.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is VpcGateway {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === VpcGateway.__pulumiType;
    }

    declare public /*out*/ readonly createdAt: pulumi.Output<string | undefined>;
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly folderId: pulumi.Output<string | undefined>;
    declare public readonly labels: pulumi.Output<{[key: string]: string} | undefined>;
    declare public readonly name: pulumi.Output<string | undefined>;
    declare public readonly sharedEgressGateway: pulumi.Output<outputs.VpcGatewaySharedEgressGateway | undefined>;

    /**
     * Create a VpcGateway resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: VpcGatewayArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: VpcGatewayArgs | VpcGatewayState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as VpcGatewayState | undefined;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["description"] = state?.description;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["labels"] = state?.labels;
            resourceInputs["name"] = state?.name;
            resourceInputs["sharedEgressGateway"] = state?.sharedEgressGateway;
        } else {
            const args = argsOrState as VpcGatewayArgs | undefined;
            resourceInputs["description"] = args?.description;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["labels"] = args?.labels;
            resourceInputs["name"] = args?.name;
            resourceInputs["sharedEgressGateway"] = args?.sharedEgressGateway;
            resourceInputs["createdAt"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(VpcGateway.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering VpcGateway resources.
 */
export interface VpcGatewayState {
    createdAt?: pulumi.Input<string | undefined>;
    description?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
    sharedEgressGateway?: pulumi.Input<inputs.VpcGatewaySharedEgressGateway | undefined>;
}

/**
 * The set of arguments for constructing a VpcGateway resource.
 */
export interface VpcGatewayArgs {
    description?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
    sharedEgressGateway?: pulumi.Input<inputs.VpcGatewaySharedEgressGateway | undefined>;
}

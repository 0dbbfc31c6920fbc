// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * `yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer` (Terraform `yandex_lb_network_load_balancer`).
 */
export class LbNetworkLoadBalancer extends pulumi.CustomResource {
    /**
     * Get an existing LbNetworkLoadBalancer resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: LbNetworkLoadBalancerState, opts?: pulumi.CustomResourceOptions): LbNetworkLoadBalancer {
        return new LbNetworkLoadBalancer(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer';

    /**
     * Returns true if the given object is an instance of LbNetworkLoadBalancer.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is LbNetworkLoadBalancer {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === LbNetworkLoadBalancer.__pulumiType;
    }

    declare public readonly attachedTargetGroups: pulumi.Output<outputs.LbNetworkLoadBalancerAttachedTargetGroup[] | undefined>;
    declare public /*out*/ readonly createdAt: pulumi.Output<string>;
    declare public readonly folderId: pulumi.Output<string>;
    declare public readonly labels: pulumi.Output<{[key: string]: string} | undefined>;
    declare public readonly listeners: pulumi.Output<outputs.LbNetworkLoadBalancerListener[] | undefined>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly regionId: pulumi.Output<string | undefined>;
    declare public readonly type: pulumi.Output<string | undefined>;

    /**
     * Create a LbNetworkLoadBalancer resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: LbNetworkLoadBalancerArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: LbNetworkLoadBalancerArgs | LbNetworkLoadBalancerState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as LbNetworkLoadBalancerState | undefined;
            resourceInputs["attachedTargetGroups"] = state?.attachedTargetGroups;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["labels"] = state?.labels;
            resourceInputs["listeners"] = state?.listeners;
            resourceInputs["name"] = state?.name;
            resourceInputs["regionId"] = state?.regionId;
            resourceInputs["type"] = state?.type;
        } else {
            const args = argsOrState as LbNetworkLoadBalancerArgs | undefined;
            resourceInputs["attachedTargetGroups"] = args?.attachedTargetGroups;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["labels"] = args?.labels;
            resourceInputs["listeners"] = args?.listeners;
            resourceInputs["name"] = args?.name;
            resourceInputs["regionId"] = args?.regionId;
            resourceInputs["type"] = args?.type;
            resourceInputs["createdAt"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(LbNetworkLoadBalancer.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering LbNetworkLoadBalancer resources.
 */
export interface LbNetworkLoadBalancerState {
    attachedTargetGroups?: pulumi.Input<pulumi.Input<inputs.LbNetworkLoadBalancerAttachedTargetGroup>[] | undefined>;
    createdAt?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
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
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    listeners?: pulumi.Input<pulumi.Input<inputs.LbNetworkLoadBalancerListener>[] | undefined>;
    name?: pulumi.Input<string | undefined>;
    regionId?: pulumi.Input<string | undefined>;
    type?: pulumi.Input<string | undefined>;
}

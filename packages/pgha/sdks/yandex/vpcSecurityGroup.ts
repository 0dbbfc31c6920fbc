// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * `yandex:index/vpcSecurityGroup:VpcSecurityGroup` (Terraform `yandex_vpc_security_group`).
 */
export class VpcSecurityGroup extends pulumi.CustomResource {
    /**
     * Get an existing VpcSecurityGroup resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcSecurityGroupState, opts?: pulumi.CustomResourceOptions): VpcSecurityGroup {
        return new VpcSecurityGroup(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/vpcSecurityGroup:VpcSecurityGroup';

    /**
     * Returns true if the given object is an instance of VpcSecurityGroup.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is VpcSecurityGroup {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === VpcSecurityGroup.__pulumiType;
    }

    declare public /*out*/ readonly createdAt: pulumi.Output<string>;
    declare public readonly egresses: pulumi.Output<outputs.VpcSecurityGroupEgress[]>;
    declare public readonly folderId: pulumi.Output<string>;
    declare public readonly ingresses: pulumi.Output<outputs.VpcSecurityGroupIngress[]>;
    declare public readonly labels: pulumi.Output<{[key: string]: string}>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly networkId: pulumi.Output<string>;
    declare public /*out*/ readonly status: pulumi.Output<string>;

    /**
     * Create a VpcSecurityGroup resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: VpcSecurityGroupArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: VpcSecurityGroupArgs | VpcSecurityGroupState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as VpcSecurityGroupState | undefined;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["egresses"] = state?.egresses;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["ingresses"] = state?.ingresses;
            resourceInputs["labels"] = state?.labels;
            resourceInputs["name"] = state?.name;
            resourceInputs["networkId"] = state?.networkId;
            resourceInputs["status"] = state?.status;
        } else {
            const args = argsOrState as VpcSecurityGroupArgs | undefined;
            if (args?.networkId === undefined && !opts.urn) {
                throw new Error("Missing required property 'networkId'");
            }
            resourceInputs["egresses"] = args?.egresses;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["ingresses"] = args?.ingresses;
            resourceInputs["labels"] = args?.labels;
            resourceInputs["name"] = args?.name;
            resourceInputs["networkId"] = args?.networkId;
            resourceInputs["createdAt"] = undefined /*out*/;
            resourceInputs["status"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(VpcSecurityGroup.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering VpcSecurityGroup resources.
 */
export interface VpcSecurityGroupState {
    createdAt?: pulumi.Input<string | undefined>;
    egresses?: pulumi.Input<pulumi.Input<inputs.VpcSecurityGroupEgress>[] | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    ingresses?: pulumi.Input<pulumi.Input<inputs.VpcSecurityGroupIngress>[] | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
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
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
    networkId: pulumi.Input<string>;
}

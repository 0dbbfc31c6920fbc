// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * `yandex:index/vpcSubnet:VpcSubnet` (Terraform `yandex_vpc_subnet`).
 */
export class VpcSubnet extends pulumi.CustomResource {
    /**
     * Get an existing VpcSubnet resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcSubnetState, opts?: pulumi.CustomResourceOptions): VpcSubnet {
        return new VpcSubnet(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/vpcSubnet:VpcSubnet';

    /**
     * Returns true if the given object is an instance of VpcSubnet.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is VpcSubnet {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === VpcSubnet.__pulumiType;
    }

    declare public /*out*/ readonly createdAt: pulumi.Output<string>;
    declare public readonly dhcpOptions: pulumi.Output<outputs.VpcSubnetDhcpOptions | undefined>;
    declare public readonly folderId: pulumi.Output<string>;
    declare public readonly labels: pulumi.Output<{[key: string]: string}>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly networkId: pulumi.Output<string>;
    declare public readonly routeTableId: pulumi.Output<string | undefined>;
    declare public readonly v4CidrBlocks: pulumi.Output<string[]>;
    declare public /*out*/ readonly v6CidrBlocks: pulumi.Output<string[]>;
    declare public readonly zone: pulumi.Output<string>;

    /**
     * Create a VpcSubnet resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: VpcSubnetArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: VpcSubnetArgs | VpcSubnetState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as VpcSubnetState | undefined;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["dhcpOptions"] = state?.dhcpOptions;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["labels"] = state?.labels;
            resourceInputs["name"] = state?.name;
            resourceInputs["networkId"] = state?.networkId;
            resourceInputs["routeTableId"] = state?.routeTableId;
            resourceInputs["v4CidrBlocks"] = state?.v4CidrBlocks;
            resourceInputs["v6CidrBlocks"] = state?.v6CidrBlocks;
            resourceInputs["zone"] = state?.zone;
        } else {
            const args = argsOrState as VpcSubnetArgs | undefined;
            if (args?.networkId === undefined && !opts.urn) {
                throw new Error("Missing required property 'networkId'");
            }
            if (args?.v4CidrBlocks === undefined && !opts.urn) {
                throw new Error("Missing required property 'v4CidrBlocks'");
            }
            resourceInputs["dhcpOptions"] = args?.dhcpOptions;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["labels"] = args?.labels;
            resourceInputs["name"] = args?.name;
            resourceInputs["networkId"] = args?.networkId;
            resourceInputs["routeTableId"] = args?.routeTableId;
            resourceInputs["v4CidrBlocks"] = args?.v4CidrBlocks;
            resourceInputs["zone"] = args?.zone;
            resourceInputs["createdAt"] = undefined /*out*/;
            resourceInputs["v6CidrBlocks"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(VpcSubnet.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering VpcSubnet resources.
 */
export interface VpcSubnetState {
    createdAt?: pulumi.Input<string | undefined>;
    dhcpOptions?: pulumi.Input<inputs.VpcSubnetDhcpOptions | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
    networkId?: pulumi.Input<string | undefined>;
    routeTableId?: pulumi.Input<string | undefined>;
    v4CidrBlocks?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    v6CidrBlocks?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    zone?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a VpcSubnet resource.
 */
export interface VpcSubnetArgs {
    dhcpOptions?: pulumi.Input<inputs.VpcSubnetDhcpOptions | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
    networkId: pulumi.Input<string>;
    routeTableId?: pulumi.Input<string | undefined>;
    v4CidrBlocks: pulumi.Input<pulumi.Input<string>[]>;
    zone?: pulumi.Input<string | undefined>;
}

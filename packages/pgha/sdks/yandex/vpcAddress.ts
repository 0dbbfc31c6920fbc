// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * `yandex:index/vpcAddress:VpcAddress` (Terraform `yandex_vpc_address`).
 */
export class VpcAddress extends pulumi.CustomResource {
    /**
     * Get an existing VpcAddress resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: VpcAddressState, opts?: pulumi.CustomResourceOptions): VpcAddress {
        return new VpcAddress(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/vpcAddress:VpcAddress';

    /**
     * Returns true if the given object is an instance of VpcAddress.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is VpcAddress {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === VpcAddress.__pulumiType;
    }

    declare public /*out*/ readonly createdAt: pulumi.Output<string>;
    declare public readonly externalIpv4Address: pulumi.Output<outputs.VpcAddressExternalIpv4Address | undefined>;
    declare public readonly folderId: pulumi.Output<string>;
    declare public readonly labels: pulumi.Output<{[key: string]: string}>;
    declare public readonly name: pulumi.Output<string>;
    declare public /*out*/ readonly reserved: pulumi.Output<boolean>;
    declare public /*out*/ readonly used: pulumi.Output<boolean>;

    /**
     * Create a VpcAddress resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: VpcAddressArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: VpcAddressArgs | VpcAddressState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as VpcAddressState | undefined;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["externalIpv4Address"] = state?.externalIpv4Address;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["labels"] = state?.labels;
            resourceInputs["name"] = state?.name;
            resourceInputs["reserved"] = state?.reserved;
            resourceInputs["used"] = state?.used;
        } else {
            const args = argsOrState as VpcAddressArgs | undefined;
            resourceInputs["externalIpv4Address"] = args?.externalIpv4Address;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["labels"] = args?.labels;
            resourceInputs["name"] = args?.name;
            resourceInputs["createdAt"] = undefined /*out*/;
            resourceInputs["reserved"] = undefined /*out*/;
            resourceInputs["used"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(VpcAddress.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering VpcAddress resources.
 */
export interface VpcAddressState {
    createdAt?: pulumi.Input<string | undefined>;
    externalIpv4Address?: pulumi.Input<inputs.VpcAddressExternalIpv4Address | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
    reserved?: pulumi.Input<boolean | undefined>;
    used?: pulumi.Input<boolean | undefined>;
}

/**
 * The set of arguments for constructing a VpcAddress resource.
 */
export interface VpcAddressArgs {
    externalIpv4Address?: pulumi.Input<inputs.VpcAddressExternalIpv4Address | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    labels?: pulumi.Input<{[key: string]: pulumi.Input<string>} | undefined>;
    name?: pulumi.Input<string | undefined>;
}

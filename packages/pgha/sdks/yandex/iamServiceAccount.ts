// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * `yandex:index/iamServiceAccount:IamServiceAccount` (Terraform `yandex_iam_service_account`).
 */
export class IamServiceAccount extends pulumi.CustomResource {
    /**
     * Get an existing IamServiceAccount resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: IamServiceAccountState, opts?: pulumi.CustomResourceOptions): IamServiceAccount {
        return new IamServiceAccount(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/iamServiceAccount:IamServiceAccount';

    /**
     * Returns true if the given object is an instance of IamServiceAccount.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is IamServiceAccount {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === IamServiceAccount.__pulumiType;
    }

    declare public /*out*/ readonly createdAt: pulumi.Output<string>;
    declare public readonly folderId: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string>;

    /**
     * Create a IamServiceAccount resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: IamServiceAccountArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: IamServiceAccountArgs | IamServiceAccountState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as IamServiceAccountState | undefined;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["name"] = state?.name;
        } else {
            const args = argsOrState as IamServiceAccountArgs | undefined;
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["name"] = args?.name;
            resourceInputs["createdAt"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(IamServiceAccount.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering IamServiceAccount resources.
 */
export interface IamServiceAccountState {
    createdAt?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    name?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a IamServiceAccount resource.
 */
export interface IamServiceAccountArgs {
    folderId?: pulumi.Input<string | undefined>;
    name?: pulumi.Input<string | undefined>;
}

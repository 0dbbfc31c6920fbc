// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * `yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey` (Terraform `yandex_iam_service_account_static_access_key`).
 */
export class IamServiceAccountStaticAccessKey extends pulumi.CustomResource {
    /**
     * Get an existing IamServiceAccountStaticAccessKey resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: IamServiceAccountStaticAccessKeyState, opts?: pulumi.CustomResourceOptions): IamServiceAccountStaticAccessKey {
        return new IamServiceAccountStaticAccessKey(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey';

    /**
     * Returns true if the given object is an instance of IamServiceAccountStaticAccessKey.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is IamServiceAccountStaticAccessKey {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === IamServiceAccountStaticAccessKey.__pulumiType;
    }

    declare public /*out*/ readonly accessKey: pulumi.Output<string>;
    declare public /*out*/ readonly createdAt: pulumi.Output<string>;
    declare public /*out*/ readonly encryptedSecretKey: pulumi.Output<string>;
    declare public /*out*/ readonly keyFingerprint: pulumi.Output<string>;
    declare public readonly pgpKey: pulumi.Output<string | undefined>;
    declare public /*out*/ readonly secretKey: pulumi.Output<string>;
    declare public readonly serviceAccountId: pulumi.Output<string>;

    /**
     * Create a IamServiceAccountStaticAccessKey resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: IamServiceAccountStaticAccessKeyArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: IamServiceAccountStaticAccessKeyArgs | IamServiceAccountStaticAccessKeyState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as IamServiceAccountStaticAccessKeyState | undefined;
            resourceInputs["accessKey"] = state?.accessKey;
            resourceInputs["createdAt"] = state?.createdAt;
            resourceInputs["encryptedSecretKey"] = state?.encryptedSecretKey;
            resourceInputs["keyFingerprint"] = state?.keyFingerprint;
            resourceInputs["pgpKey"] = state?.pgpKey;
            resourceInputs["secretKey"] = state?.secretKey;
            resourceInputs["serviceAccountId"] = state?.serviceAccountId;
        } else {
            const args = argsOrState as IamServiceAccountStaticAccessKeyArgs | undefined;
            if (args?.serviceAccountId === undefined && !opts.urn) {
                throw new Error("Missing required property 'serviceAccountId'");
            }
            resourceInputs["pgpKey"] = args?.pgpKey;
            resourceInputs["serviceAccountId"] = args?.serviceAccountId;
            resourceInputs["accessKey"] = undefined /*out*/;
            resourceInputs["createdAt"] = undefined /*out*/;
            resourceInputs["encryptedSecretKey"] = undefined /*out*/;
            resourceInputs["keyFingerprint"] = undefined /*out*/;
            resourceInputs["secretKey"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        const secretOpts = { additionalSecretOutputs: ["secretKey"] };
        opts = pulumi.mergeOptions(opts, secretOpts);
        super(IamServiceAccountStaticAccessKey.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering IamServiceAccountStaticAccessKey resources.
 */
export interface IamServiceAccountStaticAccessKeyState {
    accessKey?: pulumi.Input<string | undefined>;
    createdAt?: pulumi.Input<string | undefined>;
    encryptedSecretKey?: pulumi.Input<string | undefined>;
    keyFingerprint?: pulumi.Input<string | undefined>;
    pgpKey?: pulumi.Input<string | undefined>;
    secretKey?: pulumi.Input<string | undefined>;
    serviceAccountId?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a IamServiceAccountStaticAccessKey resource.
 */
export interface IamServiceAccountStaticAccessKeyArgs {
    pgpKey?: pulumi.Input<string | undefined>;
    serviceAccountId: pulumi.Input<string>;
}

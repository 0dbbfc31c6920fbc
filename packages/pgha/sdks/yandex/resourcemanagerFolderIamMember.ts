// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * `yandex:index/resourcemanagerFolderIamMember:ResourcemanagerFolderIamMember` (Terraform `yandex_resourcemanager_folder_iam_member`).
 */
export class ResourcemanagerFolderIamMember extends pulumi.CustomResource {
    /**
     * Get an existing ResourcemanagerFolderIamMember resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: ResourcemanagerFolderIamMemberState, opts?: pulumi.CustomResourceOptions): ResourcemanagerFolderIamMember {
        return new ResourcemanagerFolderIamMember(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'yandex:index/resourcemanagerFolderIamMember:ResourcemanagerFolderIamMember';

    /**
     * Returns true if the given object is an instance of ResourcemanagerFolderIamMember.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is ResourcemanagerFolderIamMember {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === ResourcemanagerFolderIamMember.__pulumiType;
    }

    declare public readonly folderId: pulumi.Output<string>;
    declare public readonly member: pulumi.Output<string>;
    declare public readonly role: pulumi.Output<string>;
    declare public readonly sleepAfter: pulumi.Output<number | undefined>;

    /**
     * Create a ResourcemanagerFolderIamMember resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: ResourcemanagerFolderIamMemberArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: ResourcemanagerFolderIamMemberArgs | ResourcemanagerFolderIamMemberState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as ResourcemanagerFolderIamMemberState | undefined;
            resourceInputs["folderId"] = state?.folderId;
            resourceInputs["member"] = state?.member;
            resourceInputs["role"] = state?.role;
            resourceInputs["sleepAfter"] = state?.sleepAfter;
        } else {
            const args = argsOrState as ResourcemanagerFolderIamMemberArgs | undefined;
            if (args?.folderId === undefined && !opts.urn) {
                throw new Error("Missing required property 'folderId'");
            }
            if (args?.member === undefined && !opts.urn) {
                throw new Error("Missing required property 'member'");
            }
            if (args?.role === undefined && !opts.urn) {
                throw new Error("Missing required property 'role'");
            }
            resourceInputs["folderId"] = args?.folderId;
            resourceInputs["member"] = args?.member;
            resourceInputs["role"] = args?.role;
            resourceInputs["sleepAfter"] = args?.sleepAfter;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(ResourcemanagerFolderIamMember.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering ResourcemanagerFolderIamMember resources.
 */
export interface ResourcemanagerFolderIamMemberState {
    folderId?: pulumi.Input<string | undefined>;
    member?: pulumi.Input<string | undefined>;
    role?: pulumi.Input<string | undefined>;
    sleepAfter?: pulumi.Input<number | undefined>;
}

/**
 * The set of arguments for constructing a ResourcemanagerFolderIamMember resource.
 */
export interface ResourcemanagerFolderIamMemberArgs {
    folderId: pulumi.Input<string>;
    member: pulumi.Input<string>;
    role: pulumi.Input<string>;
    sleepAfter?: pulumi.Input<number | undefined>;
}

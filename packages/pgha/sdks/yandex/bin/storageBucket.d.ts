import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
/**
 * `yandex:index/storageBucket:StorageBucket` (Terraform `yandex_storage_bucket`).
 */
export declare class StorageBucket extends pulumi.CustomResource {
    /**
     * Get an existing StorageBucket resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: StorageBucketState, opts?: pulumi.CustomResourceOptions): StorageBucket;
    /**
     * Returns true if the given object is an instance of StorageBucket.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is StorageBucket;
    readonly accessKey: pulumi.Output<string | undefined>;
    readonly acl: pulumi.Output<string | undefined>;
    readonly bucket: pulumi.Output<string>;
    readonly bucketDomainName: pulumi.Output<string>;
    readonly bucketPrefix: pulumi.Output<string | undefined>;
    readonly corsRules: pulumi.Output<outputs.StorageBucketCorsRule[] | undefined>;
    readonly folderId: pulumi.Output<string>;
    readonly forceDestroy: pulumi.Output<boolean | undefined>;
    readonly grants: pulumi.Output<outputs.StorageBucketGrant[] | undefined>;
    readonly lifecycleRules: pulumi.Output<outputs.StorageBucketLifecycleRule[] | undefined>;
    readonly loggings: pulumi.Output<outputs.StorageBucketLogging[] | undefined>;
    readonly policy: pulumi.Output<string | undefined>;
    readonly secretKey: pulumi.Output<string | undefined>;
    readonly serverSideEncryptionConfiguration: pulumi.Output<outputs.StorageBucketServerSideEncryptionConfiguration | undefined>;
    readonly versioning: pulumi.Output<outputs.StorageBucketVersioning>;
    readonly website: pulumi.Output<outputs.StorageBucketWebsite | undefined>;
    readonly websiteDomain: pulumi.Output<string>;
    readonly websiteEndpoint: pulumi.Output<string>;
    /**
     * Create a StorageBucket resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: StorageBucketArgs, opts?: pulumi.CustomResourceOptions);
}
/**
 * Input properties used for looking up and filtering StorageBucket resources.
 */
export interface StorageBucketState {
    accessKey?: pulumi.Input<string | undefined>;
    acl?: pulumi.Input<string | undefined>;
    bucket?: pulumi.Input<string | undefined>;
    bucketDomainName?: pulumi.Input<string | undefined>;
    bucketPrefix?: pulumi.Input<string | undefined>;
    corsRules?: pulumi.Input<pulumi.Input<inputs.StorageBucketCorsRule>[] | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    forceDestroy?: pulumi.Input<boolean | undefined>;
    grants?: pulumi.Input<pulumi.Input<inputs.StorageBucketGrant>[] | undefined>;
    lifecycleRules?: pulumi.Input<pulumi.Input<inputs.StorageBucketLifecycleRule>[] | undefined>;
    loggings?: pulumi.Input<pulumi.Input<inputs.StorageBucketLogging>[] | undefined>;
    policy?: pulumi.Input<string | undefined>;
    secretKey?: pulumi.Input<string | undefined>;
    serverSideEncryptionConfiguration?: pulumi.Input<inputs.StorageBucketServerSideEncryptionConfiguration | undefined>;
    versioning?: pulumi.Input<inputs.StorageBucketVersioning | undefined>;
    website?: pulumi.Input<inputs.StorageBucketWebsite | undefined>;
    websiteDomain?: pulumi.Input<string | undefined>;
    websiteEndpoint?: pulumi.Input<string | undefined>;
}
/**
 * The set of arguments for constructing a StorageBucket resource.
 */
export interface StorageBucketArgs {
    accessKey?: pulumi.Input<string | undefined>;
    acl?: pulumi.Input<string | undefined>;
    bucket?: pulumi.Input<string | undefined>;
    bucketPrefix?: pulumi.Input<string | undefined>;
    corsRules?: pulumi.Input<pulumi.Input<inputs.StorageBucketCorsRule>[] | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    forceDestroy?: pulumi.Input<boolean | undefined>;
    grants?: pulumi.Input<pulumi.Input<inputs.StorageBucketGrant>[] | undefined>;
    lifecycleRules?: pulumi.Input<pulumi.Input<inputs.StorageBucketLifecycleRule>[] | undefined>;
    loggings?: pulumi.Input<pulumi.Input<inputs.StorageBucketLogging>[] | undefined>;
    policy?: pulumi.Input<string | undefined>;
    secretKey?: pulumi.Input<string | undefined>;
    serverSideEncryptionConfiguration?: pulumi.Input<inputs.StorageBucketServerSideEncryptionConfiguration | undefined>;
    versioning?: pulumi.Input<inputs.StorageBucketVersioning | undefined>;
    website?: pulumi.Input<inputs.StorageBucketWebsite | undefined>;
    websiteDomain?: pulumi.Input<string | undefined>;
    websiteEndpoint?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=storageBucket.d.ts.map
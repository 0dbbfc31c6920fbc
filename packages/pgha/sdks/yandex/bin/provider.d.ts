import * as pulumi from "@pulumi/pulumi";
/**
 * The provider type for the yandex package (`pulumi:providers:yandex`). By default, resources use
 * package-wide configuration settings (`yandex:*` stack config); an explicit `Provider` instance may be
 * created and passed during resource construction for fine-grained control.
 */
export declare class Provider extends pulumi.ProviderResource {
    /**
     * Returns true if the given object is an instance of Provider.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    static isInstance(obj: any): obj is Provider;
    readonly cloudId: pulumi.Output<string | undefined>;
    readonly endpoint: pulumi.Output<string | undefined>;
    readonly folderId: pulumi.Output<string | undefined>;
    readonly organizationId: pulumi.Output<string | undefined>;
    readonly serviceAccountKeyFile: pulumi.Output<string | undefined>;
    readonly storageAccessKey: pulumi.Output<string | undefined>;
    readonly storageEndpoint: pulumi.Output<string | undefined>;
    readonly storageSecretKey: pulumi.Output<string | undefined>;
    readonly token: pulumi.Output<string | undefined>;
    readonly ymqAccessKey: pulumi.Output<string | undefined>;
    readonly ymqEndpoint: pulumi.Output<string | undefined>;
    readonly ymqSecretKey: pulumi.Output<string | undefined>;
    readonly zone: pulumi.Output<string | undefined>;
    /**
     * Create a Provider resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: ProviderArgs, opts?: pulumi.ResourceOptions);
}
/**
 * The set of arguments for constructing a Provider resource.
 */
export interface ProviderArgs {
    cloudId?: pulumi.Input<string | undefined>;
    endpoint?: pulumi.Input<string | undefined>;
    folderId?: pulumi.Input<string | undefined>;
    insecure?: pulumi.Input<boolean | undefined>;
    maxRetries?: pulumi.Input<number | undefined>;
    organizationId?: pulumi.Input<string | undefined>;
    plaintext?: pulumi.Input<boolean | undefined>;
    serviceAccountKeyFile?: pulumi.Input<string | undefined>;
    storageAccessKey?: pulumi.Input<string | undefined>;
    storageEndpoint?: pulumi.Input<string | undefined>;
    storageSecretKey?: pulumi.Input<string | undefined>;
    token?: pulumi.Input<string | undefined>;
    ymqAccessKey?: pulumi.Input<string | undefined>;
    ymqEndpoint?: pulumi.Input<string | undefined>;
    ymqSecretKey?: pulumi.Input<string | undefined>;
    zone?: pulumi.Input<string | undefined>;
}
//# sourceMappingURL=provider.d.ts.map
export declare function getVersion(): string;
/**
 * Registers the parameterized package with the engine (once per deployment; @pulumi/pulumi caches
 * the reference) and returns its package reference. Every resource of this package passes it to
 * its super constructor, so the engine runs them with `terraform-provider` parameterized by
 * yandex-cloud/yandex. Under `pulumi.runtime.setMocks` the mock monitor answers with a fake ref.
 */
export declare function getPackage(): Promise<string | undefined>;
//# sourceMappingURL=utilities.d.ts.map
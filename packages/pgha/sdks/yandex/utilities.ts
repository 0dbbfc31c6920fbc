// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

import * as runtime from "@pulumi/pulumi/runtime";
import * as versions from "./versions";

export function getVersion(): string {
    let version = require('./package.json').version;
    // Node allows for the version to be prefixed by a "v", while semver doesn't.
    // If there is a v, strip it off.
    if (version.indexOf('v') === 0) {
        version = version.slice(1);
    }
    return version;
}

/** @internal */
export function resourceOptsDefaults(): any {
    return { version: getVersion() };
}

/** @internal */
export function lazyLoad(exports: any, props: string[], loadModule: any) {
    for (let property of props) {
        Object.defineProperty(exports, property, {
            enumerable: true,
            get: function() {
                return loadModule()[property];
            },
        });
    }
}

/**
 * Registers the parameterized package with the engine (once per deployment; @pulumi/pulumi caches
 * the reference) and returns its package reference. Every resource of this package passes it to
 * its super constructor, so the engine runs them with `terraform-provider` parameterized by
 * yandex-cloud/yandex. Under `pulumi.runtime.setMocks` the mock monitor answers with a fake ref.
 */
export async function getPackage(): Promise<string | undefined> {
    return runtime.registerPackage({
        baseProviderName: versions.baseProviderName,
        baseProviderVersion: versions.baseProviderVersion,
        baseProviderDownloadUrl: "",
        packageName: versions.packageName,
        packageVersion: versions.packageVersion,
        base64Parameter: versions.base64Parameter,
    });
}

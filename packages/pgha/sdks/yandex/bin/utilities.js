"use strict";
// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.getVersion = getVersion;
exports.resourceOptsDefaults = resourceOptsDefaults;
exports.lazyLoad = lazyLoad;
exports.getPackage = getPackage;
const runtime = __importStar(require("@pulumi/pulumi/runtime"));
const versions = __importStar(require("./versions"));
function getVersion() {
    let version = require('./package.json').version;
    // Node allows for the version to be prefixed by a "v", while semver doesn't.
    // If there is a v, strip it off.
    if (version.indexOf('v') === 0) {
        version = version.slice(1);
    }
    return version;
}
/** @internal */
function resourceOptsDefaults() {
    return { version: getVersion() };
}
/** @internal */
function lazyLoad(exports, props, loadModule) {
    for (let property of props) {
        Object.defineProperty(exports, property, {
            enumerable: true,
            get: function () {
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
async function getPackage() {
    return runtime.registerPackage({
        baseProviderName: versions.baseProviderName,
        baseProviderVersion: versions.baseProviderVersion,
        baseProviderDownloadUrl: "",
        packageName: versions.packageName,
        packageVersion: versions.packageVersion,
        base64Parameter: versions.base64Parameter,
    });
}
//# sourceMappingURL=utilities.js.map
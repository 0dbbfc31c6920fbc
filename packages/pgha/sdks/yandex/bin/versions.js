"use strict";
// Pinned versions of the yandex package. Keep in sync with package.json ("version" and the
// "pulumi" block) and with the `packages: yandex:` entry in the root Pulumi.yaml; the
// test/yandex-sdk.test.ts checks all three agree.
Object.defineProperty(exports, "__esModule", { value: true });
exports.base64Parameter = exports.terraformProviderSource = exports.packageVersion = exports.packageName = exports.baseProviderVersion = exports.baseProviderName = void 0;
/**
 * Base provider: Pulumi's "Any Terraform Provider" plugin (pulumi/pulumi-terraform-provider,
 * built from pulumi-terraform-bridge/dynamic). It is downloaded as `pulumi-resource-terraform-provider`.
 */
exports.baseProviderName = "terraform-provider";
exports.baseProviderVersion = "1.4.0";
/**
 * The parameterized package: the Terraform provider yandex-cloud/yandex, as
 * `pulumi package add terraform-provider yandex-cloud/yandex 0.139.0` resolves it.
 */
exports.packageName = "yandex";
exports.packageVersion = "0.139.0";
exports.terraformProviderSource = "registry.opentofu.org/yandex-cloud/yandex";
/**
 * The parameter the base provider is parameterized with: base64 of the JSON
 * `{"remote":{"url":"registry.opentofu.org/yandex-cloud/yandex","version":"0.139.0"}}`
 * (the shape of pulumi-terraform-bridge's dynamic/parameterize.Value, encoded by Go's json.Marshal).
 */
exports.base64Parameter = "eyJyZW1vdGUiOnsidXJsIjoicmVnaXN0cnkub3BlbnRvZnUub3JnL3lhbmRleC1jbG91ZC95YW5kZXgiLCJ2ZXJzaW9uIjoiMC4xMzkuMCJ9fQ==";
//# sourceMappingURL=versions.js.map
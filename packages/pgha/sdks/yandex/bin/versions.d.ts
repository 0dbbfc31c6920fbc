/**
 * Base provider: Pulumi's "Any Terraform Provider" plugin (pulumi/pulumi-terraform-provider,
 * built from pulumi-terraform-bridge/dynamic). It is downloaded as `pulumi-resource-terraform-provider`.
 */
export declare const baseProviderName = "terraform-provider";
export declare const baseProviderVersion = "1.4.0";
/**
 * The parameterized package: the Terraform provider yandex-cloud/yandex, as
 * `pulumi package add terraform-provider yandex-cloud/yandex 0.139.0` resolves it.
 */
export declare const packageName = "yandex";
export declare const packageVersion = "0.139.0";
export declare const terraformProviderSource = "registry.opentofu.org/yandex-cloud/yandex";
/**
 * The parameter the base provider is parameterized with: base64 of the JSON
 * `{"remote":{"url":"registry.opentofu.org/yandex-cloud/yandex","version":"0.139.0"}}`
 * (the shape of pulumi-terraform-bridge's dynamic/parameterize.Value, encoded by Go's json.Marshal).
 */
export declare const base64Parameter = "eyJyZW1vdGUiOnsidXJsIjoicmVnaXN0cnkub3BlbnRvZnUub3JnL3lhbmRleC1jbG91ZC95YW5kZXgiLCJ2ZXJzaW9uIjoiMC4xMzkuMCJ9fQ==";
//# sourceMappingURL=versions.d.ts.map
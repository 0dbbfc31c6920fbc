// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).

// Export sub-modules:
import * as input from "./input";
import * as output from "./output";

export {
    input,
    output,
};

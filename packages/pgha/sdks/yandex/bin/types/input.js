"use strict";
// Typed subset of the Node SDK that `pulumi package add terraform-provider yandex-cloud/yandex`
// generates for the pinned versions in ./versions.ts. Same class names, property names and type
// tokens; `pulumi install` regenerates the full SDK in place (see README.md).
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=input.js.map
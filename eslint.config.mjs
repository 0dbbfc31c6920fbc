import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // sdks/yandex mirrors the shape of generated Pulumi SDK code on purpose (see its README).
  { ignores: ["node_modules/", "dist/", "out/", ".lab/", ".scratch/", "sdks/yandex/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);

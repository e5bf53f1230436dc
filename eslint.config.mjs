// ESLint: typescript-eslint's type-checked rules, the direction of imports between the layers, and
// JSDoc on the public API. Why a rule of the recommended sets is off: CONTRIBUTING.md, "Lint and format".
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import jsdoc from "eslint-plugin-jsdoc";
import prettier from "eslint-config-prettier";

/** Hardhat's packages: only the adapters (src/hardhat, src/index.ts, src/type-extensions.ts) load them. */
const HARDHAT_PACKAGES = {
  regex: "^(hardhat(/.*)?|@nomicfoundation/hardhat-.*)$",
  message: "The core never imports Hardhat: take what you need through TokenspiceEnvironment (src/campaign/environment.ts), or put the code in an adapter (src/hardhat).",
};

/**
 * The adapters as a core file at `depth` folders below src/ spells them in a relative import:
 * src/hardhat/**, src/hardhat3/**, src/index.ts and src/type-extensions.ts.
 */
function adapterImports(depth) {
  const up = depth === 0 ? "\\./" : `(\\.\\./){${depth}}`;
  return {
    regex: `^${up}(hardhat3?(/.*)?|index|type-extensions)$`,
    message: "The core never imports an adapter (src/hardhat, src/hardhat3, src/index.ts, src/type-extensions.ts): the adapter calls the core, not the other way round.",
  };
}

/** The core: src/ but the adapters, one entry per folder depth (relative imports depend on it). */
const coreImportRules = [0, 1, 2, 3, 4].map((depth) => ({
  files: [`src/${"*/".repeat(depth)}*.ts`],
  ignores: ["src/hardhat/**", "src/hardhat3/**", "src/index.ts", "src/type-extensions.ts"],
  rules: { "no-restricted-imports": ["error", { patterns: [HARDHAT_PACKAGES, adapterImports(depth)] }] },
}));

/** The files src/index.ts and src/api.ts export from. */
const PUBLIC_API_FILES = [
  "src/api.ts",
  "src/index.ts",
  "src/config.ts",
  "src/errors.ts",
  "src/model/*.ts",
  "src/runner/result.ts",
  "src/engine/reverts.ts",
  "src/campaign/campaign.ts",
  "src/check/index.ts",
  "src/check/errors.ts",
  "src/check/options.ts",
  "src/check/report.ts",
  "src/chai/series-assertions.ts",
  "src/schedules/*.ts",
  "src/hardhat/tokenspice.ts",
  "src/hardhat/errors.ts",
  "src/report/write.ts",
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "dist/**",
      "coverage/**",
      "**/typechain-types/**",
      "**/artifacts/**",
      "**/cache/**",
      "sim-results/**",
      "test-artifacts/**",
      "**/.tmp/**",
      "tools/**",
      // A Hardhat 3 user project, with its own tsconfig and node_modules: linted as a user's project would be, not here.
      "test/fixture-projects/hardhat3/**",
    ],
  },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Values from JSON.parse, csv-parse, ECharts and Hardhat's internals are `any`; the readers
      // check their shapes by hand. See CONTRIBUTING.md.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // `async` without `await` is how a function that may throw returns a rejection instead.
      "@typescript-eslint/require-await": "off",
      // Lazy `require` keeps Hardhat's plugin loading fast and optional packages optional.
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // The Hardhat 3 adapter is type-checked against Hardhat 3's types by its own tsconfig (see
    // tsconfig.hh3.json), not the root one (whose "hardhat" is Hardhat 2).
    files: ["src/hardhat3/**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: false, project: "./tsconfig.hh3.json", tsconfigRootDir: import.meta.dirname },
    },
  },
  ...coreImportRules,
  {
    // tasks/ import only the adapter (which hands them the command layer, src/cli) and the public
    // API, beside node builtins, Hardhat and third-party packages.
    files: ["tasks/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^\\.\\./src/(?!hardhat(/|$)|(index|api)$)", message: "tasks/ import only the adapter (src/hardhat) and the public API (src/index, src/api)." }] },
      ],
    },
  },
  {
    // JSDoc on everything src/ exports: shapes, units, errors thrown, source of defaults.
    files: ["src/**/*.ts"],
    plugins: { jsdoc },
    rules: {
      "jsdoc/require-jsdoc": [
        "error",
        {
          publicOnly: true,
          enableFixer: false, // --fix must not insert empty /** */ blocks: a docstring is written, not generated
          require: { FunctionDeclaration: true, ClassDeclaration: true, MethodDefinition: false, ArrowFunctionExpression: false, FunctionExpression: false },
          contexts: ["TSInterfaceDeclaration", "TSTypeAliasDeclaration", "TSEnumDeclaration"],
        },
      ],
    },
  },
  {
    // The public API (what src/index.ts and src/api.ts export, and the files they take it from):
    // also its constants and its classes' public methods and getters.
    files: PUBLIC_API_FILES,
    plugins: { jsdoc },
    rules: {
      "jsdoc/require-jsdoc": [
        "error",
        {
          enableFixer: false, // as above: no empty /** */ blocks from --fix
          require: { FunctionDeclaration: false, ClassDeclaration: false, MethodDefinition: false, ArrowFunctionExpression: false, FunctionExpression: false },
          contexts: [
            ...["FunctionDeclaration", "ClassDeclaration", "TSInterfaceDeclaration", "TSTypeAliasDeclaration", "TSEnumDeclaration", "VariableDeclaration"].map(
              (node) => `ExportNamedDeclaration[declaration.type="${node}"]`,
            ),
            // Overloads: the first signature carries the doc, the ones after it (and the implementation) need none.
            'ExportNamedDeclaration > ClassDeclaration > ClassBody > MethodDefinition:not([accessibility=/private|protected/]):not([kind=constructor]):not(MethodDefinition[value.type="TSEmptyBodyFunctionExpression"] + MethodDefinition)',
          ],
        },
      ],
    },
  },
  {
    // chai's `expect(x).to.be.true` is an expression statement; `expect(obj.fn).to.be.a("function")` reads a method.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-expressions": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  prettier,
);

// ESLint for the JavaScript the app serves (`make lint` runs it with no warning allowed).
// One dialect: plain ES2017 scripts (no modules, no build step), each an IIFE in strict
// mode, so that the phones of workshop participants run the files exactly as written.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    ignores: [".venv/**", "build/**", "node_modules/**"],
  },
  {
    files: ["survey_app/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2017,
      sourceType: "script",
      globals: globals.browser,
    },
    linterOptions: {
      reportUnusedDisableDirectives: "error",
    },
    rules: {
      ...js.configs.recommended.rules,
      strict: ["error", "function"],
      "no-implicit-globals": "error",
      "no-var": "error",
      "prefer-const": "error",
      "prefer-arrow-callback": "error",
      "no-use-before-define": ["error", { functions: false, classes: true, variables: false }],
      "no-shadow": "error",
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      eqeqeq: "error",
      curly: ["error", "multi-line"],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-alert": "error",
      "no-console": ["error", { allow: ["error"] }],
      "no-param-reassign": "error",
      "no-sequences": "error",
      // Layout, so that the three files read alike (core rules, frozen but kept until ESLint 11).
      quotes: ["error", "double", { avoidEscape: true }],
      semi: ["error", "always"],
      indent: ["error", 2, { SwitchCase: 1, MemberExpression: 1 }],
      "no-unused-expressions": "error",
    },
  },
  {
    // The OpenID Connect provider that the single sign-on tests start (node, ES modules).
    files: ["tests/oidc/**/*.mjs"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: globals.node,
    },
    rules: {
      ...js.configs.recommended.rules,
      "prefer-const": "error",
      eqeqeq: "error",
      quotes: ["error", "double", { avoidEscape: true }],
      semi: ["error", "always"],
      indent: ["error", 2],
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "commonjs",
      globals: globals.node,
    },
    rules: js.configs.recommended.rules,
  },
];

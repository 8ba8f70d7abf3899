import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The layers, and who may import whom (README, "How the code is laid out"):
// the engine (src/lab), the wire protocol (src/shared), the CLI and the webview never import
// `vscode`; the webview talks to the rest only through src/shared; nothing imports the VS Code layer.
const noVscode = { name: "vscode", message: "Only src/extension may import vscode: the engine, the protocol, the CLI and the webview run without VS Code." };
const layer = (files, forbidden, message, more = []) => ({
  files,
  rules: { "no-restricted-imports": ["error", { paths: [noVscode], patterns: [...(forbidden.length ? [{ group: forbidden, message }] : []), ...more] }] },
});

// Inside the webview, every arrow points down: app/ (the panel's state and its wiring) may import
// every folder; a feature imports ui/ and src/shared (compare/ also run/: it compares two runs'
// records); ui/ (generic components and the shared sheets) imports only itself.
const WEBVIEW = "The webview talks to the extension only through src/shared.";
const WEBVIEW_FOLDERS = ["app", "ui", "run", "sidebar", "builder", "chaos", "compare", "code"];
const webviewFolder = (folder, mayImport) => {
  const above = WEBVIEW_FOLDERS.filter((f) => f !== folder && !mayImport.includes(f)).map((f) => `../${f}/**`);
  const message = `src/webview/${folder} imports only ${[...mayImport.map((f) => `${f}/`), "src/shared"].join(", ")}: every arrow in the webview points down.`;
  return layer(
    [`src/webview/${folder}/**`],
    ["../../lab/**", "../../extension/**", "../../cli/**", "../../../**", "node:*"],
    WEBVIEW,
    above.length ? [{ group: above, message }] : [],
  );
};

export default tseslint.config(
  { ignores: ["dist/", "out/", "node_modules/", ".vscode-test/", ".cache/", "test-artifacts/", "**/node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        fetch: "readonly",
        AbortSignal: "readonly",
        AbortController: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        require: "readonly",
        __filename: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  layer(["src/lab/**"], ["**/extension/**", "**/webview/**", "**/cli/**"], "The engine (src/lab) imports only itself and src/shared."),
  // src/shared imports nothing but the gateway's contract (its types and checks, no imports of its
  // own): a ledger entry is defined and checked once, by the gateway.
  layer(["src/shared/**"], ["node:*"], "src/shared is the wire protocol: plain types and checks, importing nothing.", [
    {
      regex: "^\\.\\./(?!\\.\\./lab-templates/payment-service/gateway/contract\\.js$)",
      message: "src/shared is the wire protocol: plain types and checks, importing nothing but the gateway's contract.",
    },
  ]),
  layer(["src/cli/**"], ["**/extension/**", "**/webview/**"], "The CLI uses the engine, never the VS Code layer or the webview."),
  layer(["src/webview/*"], ["../lab/**", "../extension/**", "../cli/**", "../../**", "node:*"], WEBVIEW),
  webviewFolder("app", ["ui", "run", "sidebar", "builder", "chaos", "compare", "code"]),
  webviewFolder("ui", []),
  webviewFolder("run", ["ui"]),
  webviewFolder("sidebar", ["ui"]),
  webviewFolder("builder", ["ui"]),
  webviewFolder("chaos", ["ui"]),
  webviewFolder("compare", ["ui", "run"]),
  webviewFolder("code", ["ui"]),
  {
    files: ["src/extension/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/webview/**", "**/cli/**"], message: "The VS Code layer talks to the webview only through src/shared." }] },
      ],
    },
  },
  {
    // Test helpers read loosely typed JSON from HTTP answers.
    files: ["**/test/**", "tests/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);

// The import rule between layers is enforced by lint: a deliberate break in each layer must fail.
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/lab/paths.js";

const eslint = new ESLint({ cwd: packageRoot() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the layers, as lint enforces them", { timeout: 60_000 }, () => {
  // ESLint loads its parsers and the config on the first file: that start, slow on a busy machine, is no part of any test.
  beforeAll(() => eslint.lintText("", { filePath: "src/lab/example.ts" }), 60_000);

  it("the engine, the protocol, the CLI and the webview may not import vscode", async () => {
    for (const file of ["src/lab/example.ts", "src/shared/example.ts", "src/cli/example.ts", "src/webview/run/example.ts"]) {
      expect(await restricted(file, 'import * as vscode from "vscode";\nexport const v = vscode;\n'), file).toEqual([
        expect.stringMatching(/Only src\/extension may import vscode/),
      ]);
    }
  });

  it("the webview imports only src/shared; the protocol imports nothing; the engine never the VS Code layer", async () => {
    expect(await restricted("src/webview/run/example.ts", 'import { up } from "../../lab/stack.js";\nexport const u = up;\n')).toHaveLength(1);
    expect(
      await restricted("src/webview/run/example.ts", 'import { parseToWebview } from "../../shared/protocol.js";\nexport const p = parseToWebview;\n'),
    ).toEqual([]);
    expect(await restricted("src/shared/example.ts", 'import { up } from "../lab/stack.js";\nexport const u = up;\n')).toHaveLength(1);
    // The gateway's contract (types and checks, importing nothing) is the one exception: the ledger entry is defined there once.
    const contract = "../../lab-templates/payment-service/gateway/contract.js";
    expect(await restricted("src/shared/example.ts", `import { parseLedger } from "${contract}";\nexport const p = parseLedger;\n`)).toEqual([]);
    expect(
      await restricted("src/shared/example.ts", 'import { Ledger } from "../../lab-templates/payment-service/gateway/ledger.js";\nexport const l = Ledger;\n'),
    ).toHaveLength(1);
    expect(await restricted("src/lab/example.ts", 'import { COMMANDS } from "../extension/command-ids.js";\nexport const c = COMMANDS;\n')).toHaveLength(1);
    expect(await restricted("src/extension/example.ts", 'import * as vscode from "vscode";\nexport const v = vscode;\n')).toEqual([]);
  });

  it("inside the webview every arrow points down: app/ over the features, the features over ui/", async () => {
    const imports = (spec: string) => `import { x } from "${spec}";\nexport const y = x;\n`;
    // A feature never imports app/ nor another feature (compare/ reads run/); ui/ imports no folder above it.
    expect(await restricted("src/webview/run/example.ts", imports("../app/panel-state.js"))).toHaveLength(1);
    expect(await restricted("src/webview/chaos/example.ts", imports("../builder/builder-model.js"))).toHaveLength(1);
    expect(await restricted("src/webview/sidebar/example.ts", imports("../run/run-model.js"))).toHaveLength(1);
    expect(await restricted("src/webview/ui/example.ts", imports("../run/run-model.js"))).toHaveLength(1);
    expect(await restricted("src/webview/ui/example.ts", imports("../app/panel-state.js"))).toHaveLength(1);
    // A stylesheet is an import too: no sheet is borrowed across folders.
    expect(await restricted("src/webview/chaos/example.ts", 'import "../run/timeline.css";\n')).toHaveLength(1);
    // The arrows that point down pass.
    expect(await restricted("src/webview/app/example.ts", imports("../run/run-model.js"))).toEqual([]);
    expect(await restricted("src/webview/compare/example.ts", imports("../run/run-model.js"))).toEqual([]);
    expect(await restricted("src/webview/chaos/example.ts", 'import "../ui/chart.css";\n')).toEqual([]);
    expect(await restricted("src/webview/ui/example.ts", imports("../../shared/protocol.js"))).toEqual([]);
  });
});

// The import rule between layers is enforced by lint: a deliberate break in each layer must fail.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/lab/paths.js";

const eslint = new ESLint({ cwd: packageRoot() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

// The first lint loads the TypeScript program: seconds on a busy machine, so the default 5 s is too tight.
describe("the layers, as lint enforces them", { timeout: 60_000 }, () => {
  it("the engine, the protocol, the CLI and the webview may not import vscode", async () => {
    for (const file of ["src/lab/example.ts", "src/shared/example.ts", "src/cli/example.ts", "src/webview/example.ts"]) {
      expect(await restricted(file, 'import * as vscode from "vscode";\nexport const v = vscode;\n'), file).toEqual([
        expect.stringMatching(/Only src\/extension may import vscode/),
      ]);
    }
  });

  it("the webview imports only src/shared; the protocol imports nothing; the engine never the VS Code layer", async () => {
    expect(await restricted("src/webview/example.ts", 'import { up } from "../lab/stack.js";\nexport const u = up;\n')).toHaveLength(1);
    expect(await restricted("src/webview/example.ts", 'import { parseToWebview } from "../shared/protocol.js";\nexport const p = parseToWebview;\n')).toEqual(
      [],
    );
    expect(await restricted("src/shared/example.ts", 'import { up } from "../lab/stack.js";\nexport const u = up;\n')).toHaveLength(1);
    expect(await restricted("src/lab/example.ts", 'import { COMMANDS } from "../extension/command-ids.js";\nexport const c = COMMANDS;\n')).toHaveLength(1);
    expect(await restricted("src/extension/example.ts", 'import * as vscode from "vscode";\nexport const v = vscode;\n')).toEqual([]);
  });
});

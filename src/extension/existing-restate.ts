// A Restate that runs elsewhere (a cluster, Restate Cloud), as the user set it: its URLs from
// the settings (asked about once when a workspace, not the user, set them) and its token
// from VS Code's secret storage, bound to the origins the user entered it for.
import * as vscode from "vscode";
import { LabError } from "../lab/errors.js";
import { authorizationValue, mayCarryToken, originOf, type RestateCredential } from "../lab/origins.js";
import type { ExistingRestate } from "../lab/origins.js";
import type { LabLog } from "./log-channel.js";
import { SECTION } from "./settings.js";

const SECRET_KEY = "idempotencyLab.restateToken";
const MIGRATED_KEY = "idempotencyLab.restateTokenMigrated";
const APPROVED_KEY = "idempotencyLab.approvedRestate";
const URL_KEYS = ["existingRestate.adminUrl", "existingRestate.ingressUrl"] as const;

export class ExistingRestateSettings {
  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly log: LabLog,
  ) {}

  /**
   * The existing Restate for `folder`, or undefined for a local lab. URLs that a workspace's
   * settings name are used only once the user confirmed them for this workspace; with
   * `ask: false` (a background refresh) they count as not set until then.
   */
  async resolve(folder: vscode.Uri, options: { ask?: boolean } = {}): Promise<ExistingRestate | undefined> {
    const config = vscode.workspace.getConfiguration(SECTION, folder);
    if (!config.get<boolean>("existingRestate.enabled")) return undefined;
    const admin = (config.get<string>("existingRestate.adminUrl") ?? "").trim();
    const ingress = (config.get<string>("existingRestate.ingressUrl") ?? "").trim();
    const fromWorkspace = URL_KEYS.some((key) => {
      const seen = config.inspect<string>(key);
      return seen?.workspaceValue !== undefined || seen?.workspaceFolderValue !== undefined;
    });
    if (fromWorkspace && !this.approved(admin, ingress)) {
      if (options.ask === false) return undefined;
      await this.confirm(admin, ingress);
    }
    return { admin, ingress, credential: await this.credential() };
  }

  /** Stores a token for the configured Restate, bound to its admin and ingress origins. */
  async setToken(folder: vscode.Uri | undefined, typed?: string): Promise<{ origins: string[] }> {
    const config = vscode.workspace.getConfiguration(SECTION, folder);
    const urls = URL_KEYS.map((key) => (config.get<string>(key) ?? "").trim());
    const origins = urls.map((url) => originOf(url));
    if (origins.some((o) => o === null)) {
      throw new LabError(
        `The existing Restate's URLs are not both http(s) URLs (${urls.join(", ")})`,
        "Set idempotencyLab.existingRestate.adminUrl and ingressUrl first; the token is bound to them.",
      );
    }
    const plain = urls.find((url) => !mayCarryToken(url));
    if (plain) throw new LabError(`A token is only sent over https, and ${plain} is plain http on another machine`, "Use the https URLs of your Restate.");
    const unique = [...new Set(origins as string[])];
    const token =
      typed ??
      (await vscode.window.showInputBox({
        title: "Restate token",
        prompt: `A token for the Restate at ${unique.join(" and ")}. It is kept in VS Code's secret storage and sent only there.`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim() ? undefined : "The token is empty"),
      }));
    if (token === undefined) return { origins: [] };
    if (!token.trim()) throw new LabError("The token is empty", "Paste the token (or API key) of your Restate.");
    const credential: RestateCredential = { authorization: authorizationValue(token), origins: unique };
    await this.extension.secrets.store(SECRET_KEY, JSON.stringify(credential));
    this.log.channel.info(`Stored a Restate token for ${unique.join(" and ")}`);
    return { origins: unique };
  }

  async clearToken(): Promise<void> {
    await this.extension.secrets.delete(SECRET_KEY);
    this.log.channel.info("Cleared the Restate token");
  }

  /** The stored credential; the first call moves a token from the old user setting into secret storage. */
  async credential(): Promise<RestateCredential | undefined> {
    await this.migrateOldSetting();
    const stored = await this.extension.secrets.get(SECRET_KEY);
    if (!stored) return undefined;
    try {
      const parsed = JSON.parse(stored) as RestateCredential;
      if (typeof parsed.authorization === "string" && Array.isArray(parsed.origins) && parsed.origins.every((o) => typeof o === "string")) return parsed;
    } catch {
      // unreadable: treated as no token
    }
    return undefined;
  }

  private async migrateOldSetting(): Promise<void> {
    if (this.extension.globalState.get<boolean>(MIGRATED_KEY)) return;
    const config = vscode.workspace.getConfiguration(SECTION);
    // Only the user's own value: a workspace has no business supplying a token.
    const header = (config.inspect<string>("existingRestate.authHeader")?.globalValue ?? "").trim();
    if (header && !(await this.extension.secrets.get(SECRET_KEY))) {
      const urls = URL_KEYS.map((key) => {
        const seen = config.inspect<string>(key);
        return (seen?.globalValue ?? seen?.defaultValue ?? "").trim();
      });
      const origins = [...new Set(urls.filter(mayCarryToken).map((url) => originOf(url)!))];
      if (origins.length > 0) {
        await this.extension.secrets.store(SECRET_KEY, JSON.stringify({ authorization: authorizationValue(header), origins }));
        this.log.channel.info(
          `Moved the Restate token from the idempotencyLab.existingRestate.authHeader setting to VS Code's secret storage, for ${origins.join(" and ")}`,
        );
      } else {
        this.log.channel.warn("The idempotencyLab.existingRestate.authHeader setting was removed: its Restate URLs are not https, so the token was not kept");
      }
    }
    if (header) await config.update("existingRestate.authHeader", undefined, vscode.ConfigurationTarget.Global);
    await this.extension.globalState.update(MIGRATED_KEY, true);
  }

  private approved(admin: string, ingress: string): boolean {
    return (this.extension.workspaceState.get<string[]>(APPROVED_KEY) ?? []).includes(`${admin} ${ingress}`);
  }

  private async confirm(admin: string, ingress: string): Promise<void> {
    // A quick pick, not a modal: it holds the same attention, and (unlike a modal) an end-to-end
    // test can answer it in the real workbench.
    const use = {
      label: "$(check) Use this Restate",
      detail: `Admin ${admin} · Ingress ${ingress}: the lab registers its service there and sends requests to it`,
    };
    const refuse = {
      label: "$(close) Don't use it",
      detail: "Nothing is sent; remove idempotencyLab.existingRestate from the workspace's settings to use a local Restate",
    };
    const choice = await vscode.window.showQuickPick([use, refuse], {
      title: "This workspace's settings point the lab at a Restate elsewhere",
      placeHolder: "Your Restate token is sent only to the origins you entered it for",
      ignoreFocusOut: true,
    });
    if (choice !== use) {
      throw new LabError(
        "The lab did not use the Restate named in this workspace's settings: it was not confirmed",
        "Confirm it when asked, or remove idempotencyLab.existingRestate from the workspace's settings",
        "not-confirmed",
      );
    }
    const list = this.extension.workspaceState.get<string[]>(APPROVED_KEY) ?? [];
    await this.extension.workspaceState.update(APPROVED_KEY, [...list, `${admin} ${ingress}`]);
  }
}

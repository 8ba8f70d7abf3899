// Replay Duplicates' questions as one multi-step input: "1/3 scenario", "2/3 requests",
// "3/3 concurrency"; Back goes to the previous step, Escape cancels the whole thing.
import * as vscode from "vscode";
import { countPrompt, describePlan } from "../../lab/replay/describe-plan.js";
import { SCENARIOS } from "../../lab/replay/scenarios.js";
import type { Scenario } from "../../lab/replay/types.js";
import { MAX_CONCURRENCY, MAX_COUNT } from "../../shared/protocol.js";
import { counted, formatCount } from "../../shared/wording.js";

const TITLE = "Replay Duplicates";
const BACK = Symbol("back");

export interface ReplayChoice {
  scenario: Scenario;
  count?: number;
  concurrency?: number;
}

/** Asks for a scenario, then (when the scenario takes them) a count and a concurrency; undefined when cancelled. */
export async function askReplay(): Promise<ReplayChoice | undefined> {
  for (;;) {
    const scenario = await pickScenario();
    if (!scenario) return undefined;
    const plan = describePlan(scenario);
    // "In a row" scenarios (default concurrency 1) are about order: they do not ask for a concurrency.
    const asksConcurrency = plan.concurrent && scenario.defaults.concurrency > 1;
    const steps = 1 + (plan.adjustable ? 1 : 0) + (asksConcurrency ? 1 : 0);
    if (!plan.adjustable) return { scenario };
    const count = await askNumber({ step: 2, steps, prompt: countPrompt(scenario), value: scenario.defaults.count, max: MAX_COUNT, noun: "request" });
    if (count === BACK) continue;
    if (count === undefined) return undefined;
    if (steps === 2) return { scenario, count };
    const concurrency = await askNumber({
      step: 3,
      steps,
      prompt: `How many of the ${counted(count, "request")} at once?`,
      value: Math.min(scenario.defaults.concurrency, count),
      max: Math.min(MAX_CONCURRENCY, count),
      noun: "request",
    });
    if (concurrency === BACK) continue;
    if (concurrency === undefined) return undefined;
    return { scenario, count, concurrency };
  }
}

function pickScenario(): Promise<Scenario | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { scenario: Scenario }>();
  pick.title = TITLE;
  pick.step = 1;
  pick.placeholder = "Which scenario? Each teaches one lesson; its outcome comes from a real run.";
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  // As the count boxes: when something else takes the focus (a walkthrough moving to its next
  // step as the lab starts, seen in the host tests), a pick that closed would drop the replay
  // without a word.
  pick.ignoreFocusOut = true;
  pick.items = SCENARIOS.map((s) => {
    const plan = describePlan(s);
    const sends = plan.adjustable ? `${counted(s.defaults.count, "request")} by default` : `sends ${counted(plan.fixed, "request")}`;
    return { label: s.title, description: `${s.kind === "anti-pattern" ? "anti-pattern · " : ""}${sends}`, detail: s.lesson, scenario: s };
  });
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.scenario);
      pick.dispose();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

function askNumber(o: { step: number; steps: number; prompt: string; value: number; max: number; noun: string }): Promise<number | typeof BACK | undefined> {
  const box = vscode.window.createInputBox();
  box.title = TITLE;
  box.step = o.step;
  box.totalSteps = o.steps;
  box.prompt = o.prompt;
  box.value = String(o.value);
  box.buttons = [vscode.QuickInputButtons.Back];
  box.ignoreFocusOut = true;
  const check = (text: string) =>
    /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= o.max ? undefined : `A whole number from 1 to ${formatCount(o.max)}`;
  return new Promise((resolve) => {
    box.onDidChangeValue((text) => (box.validationMessage = check(text)));
    box.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) {
        resolve(BACK);
        box.dispose();
      }
    });
    box.onDidAccept(() => {
      if (check(box.value) !== undefined) return;
      resolve(Number(box.value));
      box.dispose();
    });
    box.onDidHide(() => {
      resolve(undefined);
      box.dispose();
    });
    box.show();
  });
}

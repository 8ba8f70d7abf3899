// What the learner has done, for the walkthrough. Each milestone is kept in the user's global
// state, and at activation and when reached it checks its walkthrough step. Context keys alone
// (the steps' onContext completion events) are not enough: VS Code registers a walkthrough
// lazily, and a key that is already true then never completes its step for that session. So
// each step is also marked done by id (welcome.markStepComplete), which VS Code stores itself.
import * as vscode from "vscode";
import { CONTEXT_KEYS } from "../shared/protocol.js";

export type Milestone = "labScaffolded" | "labStarted" | "replayed" | "predicted" | "validationPassed" | "exercisePassed";
/** Each milestone and the step of package.json's walkthrough "learn" it checks. */
const STEPS: Record<Milestone, string> = {
  labScaffolded: "scaffold",
  labStarted: "start",
  replayed: "replay",
  predicted: "predict",
  validationPassed: "validate",
  exercisePassed: "exercise",
};
const MILESTONES = Object.keys(STEPS) as Milestone[];
const STORAGE_KEY = "idempotencyLab.progress";
const WALKTHROUGH = "learn";

export class LearningProgress {
  constructor(
    private readonly state: vscode.Memento,
    private readonly extensionId: string,
  ) {}

  /** Sets the context key of every milestone reached so far; `labOpen`: this window shows a lab (it was scaffolded). */
  async restore(labOpen: boolean): Promise<void> {
    if (labOpen) await this.mark("labScaffolded");
    for (const milestone of this.reached()) await this.show(milestone);
  }

  async mark(milestone: Milestone): Promise<void> {
    const reached = this.reached();
    if (!reached.includes(milestone)) await this.state.update(STORAGE_KEY, [...reached, milestone]);
    await this.show(milestone);
  }

  reached(): Milestone[] {
    const stored = this.state.get<unknown>(STORAGE_KEY);
    return Array.isArray(stored) ? MILESTONES.filter((m) => stored.includes(m)) : [];
  }

  private async show(milestone: Milestone): Promise<void> {
    await vscode.commands.executeCommand("setContext", CONTEXT_KEYS[milestone], true);
    try {
      await vscode.commands.executeCommand("welcome.markStepComplete", `${this.extensionId}#${WALKTHROUGH}#${STEPS[milestone]}`);
    } catch {
      // A VS Code without that command: the context key is all there is.
    }
  }
}

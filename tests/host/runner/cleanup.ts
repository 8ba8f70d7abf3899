// What a host-test run must undo (server, browser, temp folders), undone once, newest first:
// at the end of the run, or on SIGINT/SIGTERM/SIGHUP (then exit 130/143). When the process
// exits anyway, the server's process group is SIGKILLed as a last resort.

export interface Cleanup {
  /** Adds a step, run before the steps added earlier. */
  add: (step: () => unknown) => void;
  /** Adds a synchronous kill for process.on("exit"), where nothing can be awaited. */
  addSyncKill: (kill: () => void) => void;
  /** Runs every step once; later calls wait for the same run. */
  run: () => Promise<void>;
  /** Called first when a signal arrives: lets the run report that it was interrupted. */
  onAbort?: (signal: NodeJS.Signals) => void;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export function createCleanup(log: (line: string) => void): Cleanup {
  const steps: Array<() => unknown> = [];
  const syncKills = new Set<() => void>();
  let done: Promise<void> | undefined;
  const killAll = () => {
    for (const kill of syncKills) {
      try {
        kill();
      } catch {
        // process already gone
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`[host] received ${signal}: stopping VS Code server and browser`);
    try {
      cleanup.onAbort?.(signal);
    } catch {
      // best effort
    }
    const exitCode = signal === "SIGINT" ? 130 : 143;
    const hardStop = setTimeout(() => {
      killAll();
      process.exit(exitCode);
    }, 8_000);
    hardStop.unref();
    void cleanup.run().finally(() => process.exit(exitCode));
  };
  process.on("exit", killAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);

  const cleanup: Cleanup = {
    add: (step) => steps.push(step),
    addSyncKill: (kill) => syncKills.add(kill),
    run: () =>
      (done ??= (async () => {
        for (let step = steps.pop(); step; step = steps.pop()) {
          try {
            await step();
          } catch (err) {
            log(`[host] cleanup step failed: ${(err as Error)?.message ?? err}`);
          }
        }
        killAll();
        process.off("exit", killAll);
        for (const signal of SIGNALS) process.off(signal, onSignal);
      })()),
  };
  return cleanup;
}

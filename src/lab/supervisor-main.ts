// Entry point of dist/supervisor.cjs, started detached by stack.ts. Its options come on
// stdin, not in the environment: they may hold a token, and children inherit the environment.
import { runSupervisor, type SupervisorOptions } from "./supervisor.js";

async function readOptions(): Promise<SupervisorOptions> {
  if (process.stdin.isTTY) throw new Error("the supervisor is started by the lab, not by hand");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as SupervisorOptions;
}

readOptions()
  .then(runSupervisor)
  .then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`idempotency-lab supervisor: ${(err as Error).message}`);
      process.exit(2);
    },
  );

// Entry point of dist/supervisor.cjs, started detached by stack.ts.
import { runSupervisor, SUPERVISOR_OPTIONS_ENV, type SupervisorOptions } from "./supervisor.js";

const raw = process.env[SUPERVISOR_OPTIONS_ENV];
if (!raw) {
  console.error(`${SUPERVISOR_OPTIONS_ENV} is not set: the supervisor is started by the lab, not by hand.`);
  process.exit(2);
}
runSupervisor(JSON.parse(raw) as SupervisorOptions).then((code) => process.exit(code));

// `npm run dev`: the mock payment gateway and the payment service, side by side, with
// prefixed output. Ctrl-C stops both. Restate itself runs separately (see README.md).
import { spawn } from "node:child_process";
import "./check-node.mjs";

const processes = [
  { name: "gateway", script: "gateway/server.ts" },
  { name: "service", script: "src/main.ts" },
].map(({ name, script }) => {
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (stream, out) =>
    stream.on("data", (chunk) => {
      for (const line of chunk.toString().split("\n")) if (line) out.write(`[${name}] ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`[${name}] exited (${signal ?? `code ${code}`}); stopping the other process`);
    stop(1);
  });
  return child;
});

let stopping = false;
function stop(code) {
  stopping = true;
  for (const child of processes) child.kill("SIGTERM");
  process.exitCode = code;
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

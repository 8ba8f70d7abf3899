// Serves the exercises' services to Restate, next to the payment service and on a port of
// their own (9082 unless SERVICE_PORT says otherwise). LAB_EXERCISES_DIR picks the code:
// "exercises" (yours, the default) or "solutions" (the worked answers). LAB_TRY_FILES, a
// comma-separated list of files named `<exercise id>.<anything>.ts`, serves each in place of
// its exercise: another attempt at an exercise, kept outside exercises/ (the lab's own CI
// runs its collection of wrong answers this way).
//
//   npm run start:exercises                      # then register http://127.0.0.1:9082 with Restate
//   npm run test:exercises                       # the exercises' tests, against your code
//   npm run test:solutions                       # the same tests, against the solutions
import * as restate from "@restatedev/restate-sdk";
import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createServer } from "node:http2";

/** The exercises, in order: exercises.json (beside this file) also tells tools where each one's files are. */
export interface ExerciseEntry {
  id: string;
  title: string;
  /** Paths relative to the workspace; `file` and `solution` have the same name in their folders. */
  file: string;
  solution: string;
  test: string;
  services: string[];
  docs: string;
}
export const EXERCISES = (
  JSON.parse(readFileSync(new URL("./exercises.json", import.meta.url), "utf8")) as { exercises: ExerciseEntry[] }
).exercises;

const dir = process.env.LAB_EXERCISES_DIR || "exercises";
if (dir !== "exercises" && dir !== "solutions") {
  console.error(`LAB_EXERCISES_DIR must be "exercises" or "solutions", not ${JSON.stringify(dir)}`);
  process.exit(1);
}
const port = Number(process.env.SERVICE_PORT ?? 9082);
const tried = triedFiles(process.env.LAB_TRY_FILES);

// Every exercise module exports `services`, the Restate services it defines.
type Definition = Parameters<typeof restate.createEndpointHandler>[0]["services"][number];
const services: Definition[] = [];
for (const exercise of EXERCISES) {
  const path = dir === "solutions" ? exercise.solution : exercise.file;
  const url = tried.get(exercise.id) ?? new URL(`../${path}`, import.meta.url).href;
  const module = (await import(url)) as { services: Definition[] };
  services.push(...module.services);
}

const server = createServer(restate.createEndpointHandler({ services }));
server.on("error", (err) => {
  console.error(`exercise services could not listen on 127.0.0.1:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () =>
  console.log(`exercise services (${dir}/) listening on http://127.0.0.1:${port}: ${services.map((s) => s.name).join(", ")}`),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}

/** LAB_TRY_FILES as exercise id → module URL; exits with a message on a file it cannot place. */
function triedFiles(list: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of (list ?? "").split(",").filter((f) => f.trim() !== "")) {
    const path = resolve(file.trim());
    const exercise = EXERCISES.find((e) => basename(path).startsWith(`${e.id}.`));
    if (!exercise || !path.endsWith(".ts") || !existsSync(path)) {
      console.error(
        `LAB_TRY_FILES: ${JSON.stringify(file)} must be an existing .ts file named after its exercise (${EXERCISES.map((e) => e.id).join(", ")}), e.g. 03-email-dedup.mine.ts`,
      );
      process.exit(1);
    }
    out.set(exercise.id, pathToFileURL(path).href);
  }
  return out;
}

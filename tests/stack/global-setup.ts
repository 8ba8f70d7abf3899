// Installs the lab template's dependencies once (lab-deps.ts) and tells every test where they are.
import { labNodeModules } from "./lab-deps.js";

export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  provide("labNodeModules", await labNodeModules());
}

declare module "vitest" {
  export interface ProvidedContext {
    labNodeModules: string;
  }
}

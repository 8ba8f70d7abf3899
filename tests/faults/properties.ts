// Runs a fast-check property as a row of the faults table: the row says how many inputs were
// tried and whether one broke the property; a failure's message carries fast-check's report,
// with the seed and the path that replay the failing input (fc.assert's { seed, path }).
import fc from "fast-check";
import { expect } from "vitest";
import type { Table } from "./table.js";

export function checkProperty<Ts extends [unknown, ...unknown[]]>(table: Table, name: string, property: fc.IProperty<Ts>, numRuns: number): void {
  const details = fc.check(property, { numRuns });
  const observed = { inputs: details.numRuns, failed: details.failed ? `seed ${details.seed}` : false };
  table.add("generated input", name, { inputs: numRuns, failed: false }, observed);
  expect(details.failed, fc.defaultReportMessage(details) ?? "").toBe(false);
  expect(details.numRuns).toBe(numRuns);
}

/** Freezes a value and everything in it: a parser that writes to its input throws (modules are strict). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}

/** Arbitrary values, the odd ones included (null prototypes, sparse arrays, huge numbers). */
export const anything = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withBoxedValues: true,
  maxDepth: 3,
});

import type { ArgIssue } from "./errors.js";

/** Edit distance between two short strings (keys), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length]!;
}

/**
 * One issue per key of `value` that is not in `known`, naming the nearest
 * known key when one is close: a misspelt block (`telegarm`) would otherwise
 * deploy something other than what the user wrote, without a word. `value`
 * that is not a plain object (an `Output`, a list) is left to other checks.
 */
export function unknownKeyIssues(path: string, value: unknown, known: readonly string[]): ArgIssue[] {
  if (!value || typeof value !== "object" || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype)
    return [];
  const issues: ArgIssue[] = [];
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const nearest = [...known].sort((a, b) => distance(key, a) - distance(key, b))[0];
    const close = nearest !== undefined && distance(key, nearest) <= Math.max(2, Math.floor(key.length / 3));
    issues.push({
      path: path ? `${path}.${key}` : key,
      problem: "is not an argument this library knows",
      expected: close ? `"${nearest}" (the nearest known one)` : `one of ${known.join(", ")}`,
    });
  }
  return issues;
}

/**
 * The keys of an args type as a list, from an object that must name every key
 * of `T` and no other (the compiler checks both), so the list cannot drift
 * from the type.
 */
export function argKeys<T>(keys: { [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(keys);
}

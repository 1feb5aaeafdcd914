/**
 * Tests on plain values, shared by the argument checks, the config rendering
 * and the plan. Pure (no Pulumi SDK: the renderers import this).
 */

/** An object that is not null and not an array. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A record made as a literal (`{}`) or with `Object.create(null)`: no class instance, no Output. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!isRecord(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Anything with a `then` method. */
export function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}

/** `o[key]` when both are records, else `{}`. */
export function recordAt(o: unknown, key: string): Record<string, unknown> {
  const v = isRecord(o) ? o[key] : undefined;
  return isRecord(v) ? v : {};
}

import { ArgValidator } from "./validator.js";

/**
 * Arguments a parent has already resolved. `OpenClawDeployment` checks every
 * child's arguments in one pass, so all problems are reported together and
 * each only once; it then hands each child what it resolved, and the child
 * uses that instead of checking its arguments again (which would print the
 * plain-secret warning twice, and fail a bad `Output` twice under two names).
 * A WeakMap, so nothing about it shows in the public Args types.
 */
const resolvedArgs = new WeakMap<object, unknown>();

/** Marks `args` as already resolved to `resolved` (returns `args`). */
export function withResolved<A extends object, R>(args: A, resolved: R): A {
  resolvedArgs.set(args, resolved);
  return args;
}

/**
 * What a component works from: the settings its parent resolved, or, for a
 * component used on its own, its own arguments checked now. Throws one
 * `OpenClawArgsError` naming `resource` before anything is registered.
 */
export function resolveArgs<A extends object, R>(
  resource: string,
  args: A,
  resolve: (args: A, v: ArgValidator) => R,
): R {
  if (resolvedArgs.has(args)) return resolvedArgs.get(args) as R;
  const v = new ArgValidator(resource);
  const resolved = resolve(args, v);
  v.throwIfInvalid();
  return resolved;
}

/**
 * What Pulumi's own program runner does with an error thrown inside an
 * `apply`: the error rejects the Output and every Output built on it, so Node
 * raises one `unhandledRejection` per dependent promise (hundreds for one bad
 * argument of a deployment). `pulumi up` reports each error object once and
 * fails the program (sdk/nodejs/cmd/run/run.ts, `uncaughtHandler` with
 * `isErrorReported`). Under mocks there is no runner, so the test framework
 * would report every copy; here the copies are gathered instead and
 * `settle()` rejects with each distinct error once.
 */

type Listener = (reason: unknown, promise: Promise<unknown>) => void;

/** Errors gathered since the last `takeProgramErrors()`, each object once. */
const pending = new Set<unknown>();
/** Every error ever gathered: a copy raised later is still the same error. */
const seen = new WeakSet<object>();
let installed = false;
let previous: Listener[] = [];
let forwardTimer: NodeJS.Timeout | undefined;

/** Takes over `unhandledRejection` for this process (once), as Pulumi's runner does. */
export function captureProgramErrors(): void {
  if (installed) return;
  installed = true;
  previous = process.listeners("unhandledRejection") as Listener[];
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", (reason, promise) => {
    if (typeof reason === "object" && reason !== null) {
      if (seen.has(reason)) return;
      seen.add(reason);
    }
    pending.add(reason);
    // Nobody called settle(): hand the error on after a while rather than lose it.
    forwardTimer ??= setTimeout(() => {
      forwardTimer = undefined;
      for (const e of takeProgramErrors()) for (const l of previous) l.call(process, e, promise);
    }, 5_000).unref();
  });
}

/**
 * Counts `error` as reported: it reached the caller some other way (an
 * awaited Output), so the copies still on their way are not new errors.
 */
export function markReported(error: unknown): void {
  if (typeof error === "object" && error !== null) seen.add(error);
  pending.delete(error);
}

/** The distinct errors the program raised since the last call, oldest first. */
export function takeProgramErrors(): unknown[] {
  const errors = [...pending];
  pending.clear();
  return errors;
}

/** One error for `settle()` to reject with: the only one, or all of them. */
export function programError(errors: readonly unknown[]): Error | undefined {
  if (errors.length === 0) return undefined;
  const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
  if (errors.length === 1) return asError(errors[0]);
  return new AggregateError(
    errors.map(asError),
    `the program raised ${errors.length} errors:\n${errors.map((e) => `- ${asError(e).message}`).join("\n")}`,
  );
}

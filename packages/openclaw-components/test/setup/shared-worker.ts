/**
 * The mocks project runs its test files one after another in a few shared
 * worker processes instead of a fresh process per file: most of a file's cost
 * was starting a process and loading @pulumi/pulumi (with TypeScript and its
 * automation API) again. This keeps each file as if it had a process of its
 * own, with nothing to do in the test files:
 *
 * - the library is evaluated afresh for each file (what vitest re-evaluates;
 *   @pulumi/* and other packages stay loaded), so state the library keeps per
 *   process (a warning given once, the program-error capture) starts empty;
 * - installMocks() takes over `unhandledRejection` for the process
 *   (program-errors.ts): the listeners are put back when the file ends, and an
 *   error its program raised that nobody settle()d fails that file, rather
 *   than surfacing in a later one or being lost with the worker.
 */
import { afterAll, vi } from "vitest";

// Every promise the Pulumi SDK makes captures `new Error().stack` for its
// leak report (runtime/debuggable.ts), and every resource its call stack
// (Resource.callsites, for the source position it sends to the engine).
// Vitest formats each stack through its source-map interceptor: that was half
// of a mocked run's CPU (a full deployment: 230 ms, 100 ms without). Neither
// text is read under the mocks (the mock monitor ignores source positions; a
// leak report prints only when a process exits with promises pending), so
// the first stays a bare header and the second is formatted as V8 would,
// without source maps. Every other stack, a failing test's included, is
// formatted as before. This file runs before each test file in the same
// worker, so it wraps once.
const WRAPPED = Symbol.for("openclaw.test.cheapSdkStacks");
type PrepareStackTrace = NonNullable<typeof Error.prepareStackTrace> & { [WRAPPED]?: true };
const mapped = Error.prepareStackTrace as PrepareStackTrace | undefined;
if (mapped && !mapped[WRAPPED]) {
  const sdkFile = /[\\/]@pulumi[\\/]pulumi[\\/]/;
  const wrapper: PrepareStackTrace = (error, stack) => {
    const top = stack[0];
    const name = top?.getFunctionName();
    if ((name === "debuggablePromise" || name === "callsites") && sdkFile.test(top?.getFileName() ?? "")) {
      const header = `${error.name}: ${error.message}`;
      return name === "callsites" ? `${header}${stack.map((frame) => `\n    at ${String(frame)}`).join("")}` : header;
    }
    return mapped(error, stack);
  };
  wrapper[WRAPPED] = true;
  Error.prepareStackTrace = wrapper;
}

vi.resetModules();
const errors = await import("../../src/testing/program-errors.js");
const listeners = process.listeners("unhandledRejection");

afterAll(() => {
  const error = errors.programError(errors.takeProgramErrors());
  process.removeAllListeners("unhandledRejection");
  for (const l of listeners) process.on("unhandledRejection", l);
  if (error) throw error;
});

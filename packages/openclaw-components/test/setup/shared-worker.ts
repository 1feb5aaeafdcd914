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

vi.resetModules();
const errors = await import("../../src/testing/program-errors.js");
const listeners = process.listeners("unhandledRejection");

afterAll(() => {
  const error = errors.programError(errors.takeProgramErrors());
  process.removeAllListeners("unhandledRejection");
  for (const l of listeners) process.on("unhandledRejection", l);
  if (error) throw error;
});

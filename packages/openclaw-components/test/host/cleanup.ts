/**
 * Host tier: The clean-up registry: every process, namespace, address and rule
 * the tier starts or adds is undone by PID or name, newest first (also from a
 * process "exit" hook), never by a broad pattern.
 */

const cleanups: Array<{ name: string; fn: () => void }> = [];
let cleaning = false;

/** Registers an undo action; `cleanup()` runs them newest first. */
export function onCleanup(name: string, fn: () => void): void {
  cleanups.push({ name, fn });
}

/** Runs every registered undo action once, newest first; returns the errors. */
export function cleanup(): string[] {
  if (cleaning) return [];
  cleaning = true;
  const errors: string[] = [];
  while (cleanups.length > 0) {
    const c = cleanups.pop()!;
    try {
      c.fn();
    } catch (e) {
      errors.push(`${c.name}: ${(e as Error).message}`);
    }
  }
  cleaning = false;
  return errors;
}
/** OPENCLAW_HOST_TIER_KEEP=1 (never under CI): leave the host running after the run, to look into it. */
export const KEEP = process.env.OPENCLAW_HOST_TIER_KEEP === "1" && !process.env.CI;
process.once("exit", () => {
  if (!KEEP) cleanup();
});

/** What `cleanup()` would undo, newest first (printed instead when KEEP is set). */
export function pendingCleanups(): string[] {
  return cleanups.map((c) => c.name).reverse();
}

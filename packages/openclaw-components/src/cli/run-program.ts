/**
 * Runs a stack's program under the library's mocks and records what it
 * registers and exports. No Pulumi CLI, no credentials, no network.
 */
import { createJiti } from "jiti";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, settle, type RecordedResource } from "../testing/mocks.js";
import { markReported } from "../testing/program-errors.js";
import type { StackConfig } from "./stack.js";

/** A serialisable record of one program run. */
export interface Recording {
  readonly project: string;
  readonly stack: string;
  readonly configFile?: string;
  readonly resources: readonly RecordedResource[];
  /** Stack outputs: value, `"[secret]"` for secret ones, `KNOWN_AFTER_UP` for one that only the host can tell. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/**
 * What an output that resolves to nothing under mocks shows: it comes from a step's output on the host, such as
 * `verifyReport`.
 */
export const KNOWN_AFTER_UP = "[known after pulumi up]";

async function resolveOutput(v: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(v)) {
    if (await pulumi.isSecret(v)) return "[secret]";
    const value = await new Promise((resolve) => v.apply((x) => resolve(x)));
    return value === undefined ? KNOWN_AFTER_UP : value;
  }
  return v;
}

/**
 * Imports the program with `stack`'s config in place, against `priorState` (an
 * earlier run's resources) when given. Errors the program throws (validation
 * included) propagate unchanged.
 */
export async function runProgram(
  stack: StackConfig,
  stackName: string,
  priorState?: readonly RecordedResource[],
): Promise<Recording> {
  const mocks = await installMocks({
    project: stack.project,
    stack: stackName,
    config: stack.config,
    secretKeys: [...stack.secretKeys],
    ...(priorState ? { priorState } : {}),
  });
  const failures: unknown[] = [];
  const onRejection = (e: unknown) => failures.push(e);
  process.on("unhandledRejection", onRejection);
  try {
    const exported = await loadProgram(stack.program);
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(exported)) {
      if (k === "default" || typeof v === "function") continue;
      outputs[k] = await resolveOutput(v);
    }
    await settle().catch((e: unknown) => failures.push(e));
    if (failures.length > 0) throw failures[0];
    return {
      project: stack.project,
      stack: stackName,
      ...(stack.configFile ? { configFile: stack.configFile } : {}),
      resources: [...mocks.resources],
      outputs,
    };
  } catch (e) {
    // An exported Output can reject before settle() sees the error: the copies
    // of it still on their way belong to this run, not to the next one.
    markReported(e);
    await settle().catch(() => undefined);
    throw e;
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

/**
 * Loads a program as `pulumi up` does: TypeScript or JavaScript, ES module or
 * CommonJS, with relative imports written without an extension (as every
 * Pulumi template writes them), and returns what it exports. jiti (unjs)
 * does the loading: pure JavaScript with no dependencies, so it needs no
 * native binary or install script, and it hands back a CommonJS program's
 * `module.exports` as is, as Pulumi reads it (no `__esModule`, no
 * `module.exports` key).
 */
async function loadProgram(program: string): Promise<Record<string, unknown>> {
  // No module cache: a second run in the same process (stackImpact) runs the
  // program again, under that run's mocks.
  const jiti = createJiti(program, { fsCache: false, moduleCache: false });
  const mod = (await jiti.import(program)) as Record<string, unknown>;
  // `export default { … }` or `export = { … }` alone: its members are the outputs.
  return mod.default && typeof mod.default === "object" && Object.keys(mod).length === 1
    ? (mod.default as Record<string, unknown>)
    : mod;
}

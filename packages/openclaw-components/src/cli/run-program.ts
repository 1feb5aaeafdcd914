/**
 * Runs a stack's program under the library's mocks and records what it
 * registers and exports. No Pulumi CLI, no credentials, no network.
 */
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, settle, type RecordedResource } from "../testing/mocks.js";
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
 * Imports the program with `stack`'s config in place. Errors the program
 * throws (validation included) propagate unchanged.
 */
export async function runProgram(stack: StackConfig, stackName: string): Promise<Recording> {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (stack.program.endsWith(".ts") && (major < 22 || (major === 22 && minor < 18) || (major === 23 && minor < 6))) {
    throw new Error(
      `${stack.program} is TypeScript, which this Node (${process.versions.node}) cannot load; the plan needs Node >= 22.18 (built-in type stripping)`,
    );
  }
  const mocks = await installMocks({
    project: stack.project,
    stack: stackName,
    config: stack.config,
    secretKeys: [...stack.secretKeys],
  });
  const failures: unknown[] = [];
  const onRejection = (e: unknown) => failures.push(e);
  process.on("unhandledRejection", onRejection);
  try {
    const mod = (await import(pathToFileURL(stack.program).href)) as Record<string, unknown>;
    const exported =
      mod.default && typeof mod.default === "object" && Object.keys(mod).length === 1
        ? (mod.default as Record<string, unknown>)
        : mod;
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(exported)) {
      if (k === "default" || typeof v === "function") continue;
      outputs[k] = await resolveOutput(v);
    }
    await settle();
    if (failures.length > 0) throw failures[0];
    return {
      project: stack.project,
      stack: stackName,
      ...(stack.configFile ? { configFile: stack.configFile } : {}),
      resources: [...mocks.resources],
      outputs,
    };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

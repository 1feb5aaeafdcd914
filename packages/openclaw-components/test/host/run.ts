/**
 * Host tier: Running things: paths, processes and the scripts beside this file,
 * with the results a test reads.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { onCleanup } from "./cleanup.js";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, "../../../..");
export const CACHE = join(REPO, ".cache", "host");
export const NODE_PACKAGE = join(REPO, "node_modules", `node-linux-${process.arch}`);
export const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function log(message: string): void {
  console.log(`[host tier] ${message}`);
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a program to completion (blocking). */
export function run(
  cmd: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): RunResult {
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    input: opts.input,
    env: opts.env ?? process.env,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 120_000,
    killSignal: "SIGKILL",
    maxBuffer: 256 << 20,
  });
  const status = r.status ?? (r.error ? -1 : 128);
  return {
    status,
    stdout: r.stdout ?? "",
    stderr: `${r.stderr ?? ""}${r.error ? `\n${r.error.message}` : ""}`,
    ms: Date.now() - started,
  };
}

/** Runs one of this folder's scripts with bash; throws with its output on failure. */
export function script(
  name: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): RunResult {
  const r = run("bash", [join(HERE, name), ...args], opts);
  if (r.status !== 0) {
    throw new Error(
      `${name} ${args.join(" ")} failed (exit ${r.status}):\n${`${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-30).join("\n")}`,
    );
  }
  return r;
}

/** Last non-empty line of a step's stdout. */
export function lastLine(s: string): string {
  return s.trimEnd().split("\n").pop() ?? "";
}

export function killGroup(child: ChildProcess): void {
  if (child.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

/** A temporary directory under the system's, removed at cleanup. */
export function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-host-tier-"));
  onCleanup(`work dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

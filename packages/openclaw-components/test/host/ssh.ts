/**
 * Host tier: OpenSSH as the remote.Command provider uses it: the command text
 * as the exec request, the environment as SSH "env" requests (SendEnv, accepted
 * by the host's AcceptEnv OPENCLAW_*), secrets on stdin only, no terminal.
 */
import { spawn } from "node:child_process";
import type { RemoteStep } from "../../src/remote/step.js";
import { SYSTEM_PATH, seconds, type RunResult } from "./run.js";

export interface SshTarget {
  host: string;
  user: string;
  keyFile: string;
}

export function sshArgs(t: SshTarget, extra: string[] = []): string[] {
  return [
    "-F",
    "/dev/null",
    "-i",
    t.keyFile,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=5",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "ServerAliveInterval=15",
    "-o",
    "SendEnv=OPENCLAW_*",
    ...extra,
    `${t.user}@${t.host}`,
  ];
}

/**
 * Runs a command over SSH without blocking this process. `env` reaches the
 * host as SSH environment (SendEnv): nothing else of this process's
 * environment is passed.
 */
export function ssh(
  t: SshTarget,
  command: string,
  opts: { env?: Record<string, string>; stdin?: string; timeoutMs?: number; extra?: string[] } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn("ssh", [...sshArgs(t, opts.extra), "--", command], {
      env: { PATH: process.env.PATH ?? SYSTEM_PATH, HOME: process.env.HOME ?? "/root", ...(opts.env ?? {}) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(
      () => {
        stderr += `\n[host tier] timed out after ${seconds(opts.timeoutMs ?? 0)}: killed ssh`;
        child.kill("SIGKILL");
      },
      opts.timeoutMs ?? 20 * 60_000,
    );
    child.stdin.on("error", () => undefined);
    child.stdin.end(opts.stdin ?? "");
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      done({ status: code ?? (signal ? 128 : -1), stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Runs one rendered step exactly as its remote.Command would: command text, environment, stdin. */
export function runStep(t: SshTarget, step: RemoteStep, timeoutMs = 20 * 60_000): Promise<RunResult> {
  return ssh(t, step.command, {
    env: { ...step.environment },
    ...(step.stdin !== undefined ? { stdin: step.stdin } : {}),
    timeoutMs,
  });
}

/** The step's command, environment and stdin: what makes its remote.Command re-run when it changes. */
export function stepInputs(step: RemoteStep): string {
  return JSON.stringify([step.command, step.environment, step.stdin ?? null]);
}

/**
 * Real programs the tests hand generated artefacts to. Locally a missing tool
 * skips its tier with the reason printed; under CI=true it fails the run.
 */
import { spawnSync } from "node:child_process";

export function haveTool(tool: string, versionArgs: string[] = ["--version"], why = ""): boolean {
  const ok = spawnSync(tool, versionArgs, { stdio: "ignore" }).status === 0;
  if (!ok) {
    const message = `${tool} is not installed${why ? ` (${why})` : ""}`;
    if (process.env.CI) throw new Error(`${message}: CI must install it (see .ci/run)`);
    console.warn(`skipping: ${message}`);
  }
  return ok;
}

export function run(tool: string, args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(tool, args, { input, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

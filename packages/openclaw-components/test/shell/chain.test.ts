/**
 * A whole deployment, every argument combination: all its steps in order on
 * one fresh fake host (nothing installed, only the user manager that linger
 * starts), then all of them again. The first pass changes the host (every step
 * but wait-for-host and verify, which only check, and the removals of features
 * that are off, which find nothing, says `changed`), the second finds nothing
 * to do.
 */
import { afterAll, describe, expect, it } from "vitest";
import { COMBINATIONS } from "../fixtures.js";
import { Sandbox, sandboxUid, seedUnit, shellTierAvailable, stats, type Call, type RunResult } from "./harness.js";
import { healthyHost, leakedSecrets, seedBackupDir, render, STEP_ORDER, withNodeArchive } from "./hosts.js";

const available = shellTierAvailable();

describe.skipIf(!available)("shell tier: whole deployments on one fresh host, twice", () => {
  const totals = { steps: 0, calls: 0 };
  afterAll(() =>
    console.log(
      `shell tier (chains): ${COMBINATIONS.length} deployments, ${totals.steps} step runs, ${totals.calls} fake calls recorded (all tiers so far: ${stats.calls})`,
    ),
  );

  it.each(COMBINATIONS)(
    "%s",
    (_label, args) => {
      const r = render(args);
      const names = r.steps.map((s) => s.name);
      expect(names, "rendered steps follow the known order").toEqual(STEP_ORDER.filter((n) => names.includes(n)));
      const sb = healthyHost(new Sandbox(), r);
      try {
        seedUnit(sb, "system", `user@${sandboxUid()}.service`, ["active"]);
        sb.removeTool("docker");
        seedBackupDir(sb);
        const install = r.steps.find((s) => s.name === "install-openclaw")!;
        const env = withNodeArchive(sb, install);
        const pass = (): [string, RunResult][] =>
          r.steps.map((step) => {
            const res = sb.run(step, { name: step.name, ...(step.name === "install-openclaw" ? { env } : {}) });
            expect(res.status, `${step.name}\n${res.stdout}\n${res.stderr}`).toBe(0);
            return [step.name, res];
          });
        const first = pass();
        const second = pass();
        expect(Object.fromEntries(first.map(([n, res]) => [n, res.last]))).toEqual(
          // A fresh host has nothing a removal could take away, nor an empty
          // openclawConfig patch, nor a job list with none declared.
          Object.fromEntries(
            names.map((n) => [
              n,
              /^(wait-for-host|verify|remove-.*)$/.test(n) ||
              (n === "apply-openclaw-config" && !args.openclawConfig) ||
              (n === "sync-schedules" && r.schedules.length === 0)
                ? "unchanged"
                : "changed",
            ]),
          ),
        );
        expect(Object.fromEntries(second.map(([n, res]) => [n, res.last]))).toEqual(
          Object.fromEntries(names.map((n) => [n, "unchanged"])),
        );

        const runs = [...first, ...second].map(([, res]) => res);
        expect(runs.flatMap(leakedSecrets)).toEqual([]);
        const calls: Call[] = runs.flatMap((res) => res.calls);
        totals.steps += runs.length;
        totals.calls += calls.length;

        const port = r.steps.find((s) => s.name === "start-gateway")!.environment.OPENCLAW_GATEWAY_PORT!;
        const readyz = calls.filter((c) => c.tool === "curl" && c.argv.some((a) => a.endsWith("/readyz")));
        expect(new Set(readyz.map((c) => c.argv[c.argv.length - 1]))).toEqual(
          new Set([`http://127.0.0.1:${port}/readyz`]),
        );
        if (names.includes("install-sync-timer")) {
          // Each first sync goes through its workspace's SSH alias (here: no
          // network, so it fails, best-effort): the main one's, and each agent's own.
          const agents = JSON.parse(
            r.steps.find((s) => s.name === "setup-workspace")!.environment.OPENCLAW_AGENT_WORKSPACES!,
          ) as { id: string }[];
          const aliases = ["openclaw-workspace", ...agents.map((a) => `openclaw-agent-workspace-${a.id}`)];
          const ssh = calls.filter((c) => c.tool === "ssh");
          expect(new Set(ssh.map((c) => aliases.find((alias) => c.argv.includes(alias))))).toEqual(new Set(aliases));
        }
        if (names.includes("sync-schedules")) {
          const adds = calls.filter((c) => c.argv[1] === "cron" && c.argv[2] === "add");
          expect(adds.map((c) => c.argv[c.argv.indexOf("--declaration-key") + 1])).toEqual(
            r.schedules.map((j) => j.key),
          );
        }
      } finally {
        sb.cleanup();
      }
    },
    120_000,
  );
});

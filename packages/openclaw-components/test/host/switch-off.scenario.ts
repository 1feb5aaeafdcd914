import { expect, it } from "vitest";
import { type PlainDeploymentArgs } from "../../src/render.js";
import { DECLARATION_KEY_PREFIX } from "../../src/schedules/schedules.js";
import { parseVerifyReport } from "../../src/verify/verify-step.js";
import { lastLine, log, seconds } from "./harness.js";
import {
  ADMIN,
  PORT,
  activeUserTimers,
  args,
  asAdmin,
  changeResults,
  cronJobs,
  deploy,
  expectOk,
  gatewayUnit,
  host,
  rendered,
  requireProvisioned,
  sandboxImage,
  step,
  stepOf,
} from "./fixture.js";

const HOME = `/home/${ADMIN}`;
const REMOVALS = ["remove-sandbox", "remove-telegram", "remove-workspace-sync", "remove-state-backups"];

/** A job the library declared (OpenClaw declares jobs of its own, which are not the library's to remove). */
const owned = (j: { declarationKey?: string }) => j.declarationKey?.startsWith(DECLARATION_KEY_PREFIX) ?? false;
const jobLines = (jobs: Awaited<ReturnType<typeof cronJobs>>) =>
  jobs.map((j) => `${j.declarationKey ?? "-"} ${j.name} ${j.schedule.expr}`).sort();

/** What each of the four features put on the host, as one record to compare. */
async function featureState(): Promise<Record<string, unknown>> {
  const config = JSON.parse(host.sh(`cat ${HOME}/.openclaw/openclaw.json`)) as {
    agents?: { defaults?: { sandbox?: unknown } };
    channels?: { telegram?: unknown };
  };
  const units = host.sh(`ls -1 ${HOME}/.config/systemd/user | grep -E '^openclaw-(workspace-sync|backup)\\.' || true`);
  const files = host.sh(
    `cd ${HOME} && ls -1d .local/lib/openclaw-infra/workspace-sync.sh .local/lib/openclaw-infra/openclaw-backup.sh .ssh/openclaw_workspace_ed25519 .ssh/config.d/openclaw-workspace.conf 2>/dev/null || true`,
  );
  return {
    sandboxConfig: config.agents?.defaults?.sandbox !== undefined,
    sandboxImages: (await asAdmin("docker images --quiet --filter label=org.openclaw.infra.build-hash | sort -u"))
      .trim()
      .split("\n")
      .filter(Boolean).length,
    sandboxBase: (
      await asAdmin("docker image inspect openclaw-sandbox:bookworm-slim >/dev/null 2>&1 && echo yes || echo no")
    ).trim(),
    telegramConfig: config.channels?.telegram !== undefined,
    ownedJobs: (await cronJobs()).filter(owned).length,
    units: units.trim().split("\n").filter(Boolean).sort(),
    timers: (await activeUserTimers()).filter((t) => /workspace-sync|backup/.test(t)),
    files: files.trim().split("\n").filter(Boolean).sort(),
  };
}

/** The checks of the verify step the last deploy ran (every deploy ends with it); its report must be all green. */
function deployVerified(): string[] {
  const r = changeResults["verify"];
  expect(r, "the deploy ran verify").toBeDefined();
  const report = parseVerifyReport(r!.stdout);
  expect(report?.ok, r!.stdout).toBe(true);
  return report!.checks.map((c) => c.name);
}

/** Switching a feature off removes what it installed, and switching it back on converges again. */
export function switchingOff(): void {
  it(
    "switching off the sandbox, Telegram, workspace sync and backups removes what each installed; back on, each converges again",
    async () => {
      requireProvisioned();
      const on: PlainDeploymentArgs = args;
      const before = await featureState();
      // The features are there to be removed: otherwise the test proves nothing.
      expect(before).toMatchObject({ sandboxConfig: true, sandboxBase: "yes", telegramConfig: true, ownedJobs: 4 });
      expect(before.sandboxImages).toBeGreaterThan(0);
      expect(before.units).toHaveLength(4);
      expect(before.files).toHaveLength(4);
      const workspaceHead = (await asAdmin("git --git-dir ~/.openclaw/.infra/git/workspace.git rev-parse HEAD")).trim();
      const archives = host.sh(`ls -1 ${HOME}/backups`).trim();
      expect(archives).not.toBe("");
      const jobsBefore = await cronJobs();

      const off: PlainDeploymentArgs = {
        ...on,
        sandbox: { enabled: false },
        telegram: undefined,
        workspaceSync: { ...on.workspaceSync, repoUrl: undefined },
        backups: { enabled: false },
      };
      let t = Date.now();
      const ran = await deploy("all four features off", off);
      log(`switch off: ${seconds(Date.now() - t)}; ran ${ran.join(", ")}`);
      // The removals run, in the rendering's order, and changed something each.
      expect(ran.filter((n) => n.startsWith("remove-"))).toEqual(REMOVALS);
      for (const name of REMOVALS) expect(lastLine(changeResults[name]!.stdout), name).toBe("changed");
      // Telegram off takes its default jobs: the sync, with none declared now, removes the library's.
      expect(lastLine(changeResults["sync-schedules"]!.stdout)).toBe("changed");
      expect(await featureState()).toEqual({
        sandboxConfig: false,
        sandboxImages: 0,
        sandboxBase: "no",
        telegramConfig: false,
        ownedJobs: 0,
        units: [],
        timers: [],
        files: [],
      });
      // What the agent made stays: the workspace and its history, the archives.
      // The sync timer fires hourly (at :00, up to 5 min late): a sync may have
      // committed during the switch, so the old HEAD must be in the history.
      expect(
        (
          await asAdmin(
            `git --git-dir ~/.openclaw/.infra/git/workspace.git merge-base --is-ancestor ${workspaceHead} HEAD && echo kept`,
          )
        ).trim(),
      ).toBe("kept");
      expect(host.sh(`ls -1 ${HOME}/backups`).trim()).toBe(archives);
      // OpenClaw's own jobs are not the library's to remove.
      expect(jobLines((await cronJobs()).filter((j) => !owned(j)))).toEqual(
        jobLines(jobsBefore.filter((j) => !owned(j))),
      );
      expect((await gatewayUnit()).ActiveState).toBe("active");
      expect(host.sh(`curl -fsS --max-time 5 http://127.0.0.1:${PORT}/readyz`)).toBeTruthy();
      const offChecks = deployVerified();
      expect(offChecks).not.toContain("sandbox image");
      expect(offChecks).not.toContain("workspace sync timer");

      // Idempotent: each removal again finds nothing to do.
      for (const name of [...REMOVALS, "sync-schedules"]) {
        const s = stepOf(rendered, name);
        const r = await step(s);
        expectOk(s, r, "unchanged");
      }

      t = Date.now();
      const back = await deploy("all four features back on", on);
      log(`switch back on: ${seconds(Date.now() - t)}; ran ${back.join(", ")}`);
      expect(back).toEqual(
        expect.arrayContaining([
          "build-sandbox-image",
          "configure-sandbox",
          "configure-telegram",
          "sync-schedules",
          "setup-workspace",
          "install-sync-timer",
          "install-backup-timer",
        ]),
      );
      const again = await featureState();
      expect(again).toEqual({ ...before, sandboxImages: again.sandboxImages });
      expect(again.sandboxImages).toBeGreaterThan(0);
      expect(sandboxImage()).toBeTruthy();
      expect(jobLines(await cronJobs())).toEqual(jobLines(jobsBefore));
      const onChecks = deployVerified();
      expect(onChecks).toEqual(expect.arrayContaining(["sandbox image", "workspace sync timer"]));
      // And it converged: every step of the rendering again changes nothing.
      for (const s of rendered.steps) {
        if (s.name === "verify") continue;
        expectOk(s, await step(s), "unchanged");
      }
    },
    30 * 60_000,
  );
}

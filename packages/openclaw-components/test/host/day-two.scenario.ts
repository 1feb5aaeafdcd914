import { expect, it } from "vitest";
import { renderDeployment } from "../../src/render.js";
import { parseVerifyReport } from "../../src/verify/verify-step.js";
import { DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";
import { log, seconds } from "./harness.js";
import {
  ADMIN,
  PORT,
  PREVIOUS_OPENCLAW_VERSION,
  applyChange,
  args,
  asAdmin,
  changeResults,
  describeResult,
  expectOk,
  figures,
  gatewayUnit,
  host,
  jobIds,
  rendered,
  requireProvisioned,
  sandboxImage,
  secrets,
  step,
  stepOf,
  configHash,
  LIB,
} from "./fixture.js";

/** Upgrades between two real releases: a rollback after the switch, then the upgrade to the pinned release. */
export function upgrades(): void {
  it(
    "day two: an upgrade whose new release fails its checks after the switch is rolled back, and the old release gets back the state from before the switch",
    async () => {
      requireProvisioned();
      const jobsBefore = await jobIds();
      const pidBefore = (await gatewayUnit()).MainPID;
      const config = `/home/${ADMIN}/.openclaw/openclaw.json`;
      // The fault: a world-readable config. The new release starts (and
      // migrates the state database) but its security audit reports a critical
      // finding, so the step must roll back after the switch. The old release
      // then refuses the migrated database: only the pre-upgrade archive helps.
      host.sh(`chmod 0644 ${config}`);
      const change = stepOf(
        renderDeployment({ ...args, openclawVersion: DEFAULT_OPENCLAW_VERSION }, secrets),
        "install-openclaw",
      );
      const r = await step(change);
      figures.rollback = r.ms;
      log(`upgrade rolled back after the switch: ${seconds(r.ms)}; ${r.stderr.trim().split("\n").pop()}`);
      expect(r.status, describeResult(change, r)).not.toBe(0);
      expect(r.stdout).toContain(`restarting the gateway on ${DEFAULT_OPENCLAW_VERSION}`);
      expect(r.stdout).toContain(`rolling back to openclaw-${PREVIOUS_OPENCLAW_VERSION}`);
      const archive = /pre-upgrade archive: (\S+)/.exec(r.stdout)?.[1];
      expect(archive).toBeTruthy();
      expect(r.stdout).toContain(
        `openclaw-${PREVIOUS_OPENCLAW_VERSION} cannot open the state ${DEFAULT_OPENCLAW_VERSION} left; restoring ${archive}`,
      );
      expect(r.stdout).toContain(`openclaw-restore: restored from ${archive}`);
      expect(r.stderr).toContain(
        `error: openclaw ${DEFAULT_OPENCLAW_VERSION} was rolled back to openclaw-${PREVIOUS_OPENCLAW_VERSION}: the security audit reports 1 critical finding(s): fs.config.perms_world_readable`,
      );
      // The old release runs again, healthy, on the state from before the switch (the restore also put the config back
      // at 0600).
      expect(host.sh("readlink /opt/openclaw/current").trim()).toBe(
        `/opt/openclaw/openclaw-${PREVIOUS_OPENCLAW_VERSION}`,
      );
      expect((await asAdmin("openclaw --version")).trim()).toContain(PREVIOUS_OPENCLAW_VERSION);
      const unit = await gatewayUnit();
      expect(unit.ActiveState).toBe("active");
      expect(unit.MainPID).not.toBe(pidBefore);
      expect(host.sh(`curl -fsS --max-time 5 http://127.0.0.1:${PORT}/readyz`)).toBeTruthy();
      expect(await jobIds()).toEqual(jobsBefore);
      expect(host.sh(`stat -c %a ${config}`).trim()).toBe("600");
      // The state the new release left is kept aside, not deleted.
      expect(host.sh(`ls -d /home/${ADMIN}/.openclaw.pre-restore-* | wc -l`).trim()).not.toBe("0");
      // And the deployment as declared still converges on the previous release.
      const declared = stepOf(rendered, "install-openclaw");
      expectOk(declared, await step(declared), "unchanged");
    },
    30 * 60_000,
  );

  it(
    "day two: an OpenClaw upgrade (previous release → pinned) backs up, keeps the old release beside, switches, and re-runs only the steps that use the version",
    async () => {
      requireProvisioned();
      expect((await asAdmin("openclaw --version")).trim()).toContain(PREVIOUS_OPENCLAW_VERSION);
      const jobsBefore = await jobIds();
      const archivesBefore = Number((await asAdmin("ls ~/backups | wc -l")).trim());
      const pidBefore = (await gatewayUnit()).MainPID;
      const imageBefore = (await asAdmin(`docker image inspect --format '{{.Id}}' ${sandboxImage()}`)).trim();
      const what = `openclawVersion ${PREVIOUS_OPENCLAW_VERSION} → ${DEFAULT_OPENCLAW_VERSION}`;
      const reran = await applyChange(what, { ...args, openclawVersion: DEFAULT_OPENCLAW_VERSION });
      // What the change-impact helper says for a version change (docs/architecture.md).
      expect(reran).toEqual(["install-openclaw", "build-sandbox-image", "verify"]);
      const install = changeResults["install-openclaw"]!;
      figures.upgrade = { installStepMs: install.ms, totalMs: figures.changes.at(-1)!.ms };
      log(
        `upgrade ${what}: install-openclaw ${seconds(install.ms)} (backup, npm install, validate, switch, restart, /readyz, audit); with the image rebuild and verify ${seconds(figures.upgrade.totalMs)}`,
      );
      expect(install.stdout).toContain("taking a verified backup first");
      expect(install.stdout).toContain(`restarting the gateway on ${DEFAULT_OPENCLAW_VERSION}`);
      expect(install.stdout).not.toContain("rolling back");
      // Switched, with the old release still runnable beside it.
      expect(host.sh("readlink /opt/openclaw/current").trim()).toBe(
        `/opt/openclaw/openclaw-${DEFAULT_OPENCLAW_VERSION}`,
      );
      expect((await asAdmin("openclaw --version")).trim()).toContain(DEFAULT_OPENCLAW_VERSION);
      expect(host.sh(`/opt/openclaw/openclaw-${PREVIOUS_OPENCLAW_VERSION}/bin/openclaw --version`)).toContain(
        PREVIOUS_OPENCLAW_VERSION,
      );
      // A verified archive taken by the previous release before anything moved.
      expect(Number((await asAdmin("ls ~/backups | wc -l")).trim())).toBeGreaterThan(archivesBefore);
      // The gateway restarted on the new release, healthy, with the same jobs; the sandbox image was rebuilt for it.
      const unit = await gatewayUnit();
      expect(unit.ActiveState).toBe("active");
      expect(unit.MainPID).not.toBe(pidBefore);
      expect(await jobIds()).toEqual(jobsBefore);
      expect((await asAdmin(`docker image inspect --format '{{.Id}}' ${sandboxImage()}`)).trim()).not.toBe(imageBefore);
      // The replaced image went with the rebuild (about 1 GB each).
      expect((await asAdmin("docker image ls --quiet --filter dangling=true")).trim()).toBe("");
      expect(changeResults["build-sandbox-image"]!.stdout).toContain(
        `removed the replaced image ${imageBefore.slice(7, 19)}`,
      );
      const report = parseVerifyReport(changeResults.verify!.stdout);
      expect(report?.ok).toBe(true);
      expect(report?.checks.find((c) => c.name === "openclaw version")?.detail).toContain(DEFAULT_OPENCLAW_VERSION);
    },
    30 * 60_000,
  );
}

/** Backups and refusals: a restore after wiping the state; a release that cannot use the live state is refused. */
export function backupsAndRefusals(): void {
  it(
    "day two: a verified backup, a wiped state, and a restore give back the same jobs, config and workspace files",
    async () => {
      requireProvisioned();
      await asAdmin("printf 'remember: the tier was here\\n' > ~/.openclaw/workspace/MEMO.md");
      const jobsBefore = await jobIds();
      const configBefore = await configHash();
      let t = Date.now();
      const out = await asAdmin(`${LIB}/openclaw-backup.sh`, 600_000);
      const backupMs = Date.now() - t;
      const archive = /^openclaw-backup: (\S+) \(/m.exec(out)?.[1];
      expect(archive, out).toMatch(/-openclaw-backup\.tar\.gz$/);
      const bytes = (await asAdmin(`stat -c '%s %a' ~/backups/${archive}`)).trim();
      expect(bytes.split(" ")[1]).toBe("600");
      log(`backup: ${archive}, ${bytes.split(" ")[0]} bytes, ${seconds(backupMs)}`);

      // Wipe: the gateway's whole state directory is gone. Once a sandboxed session
      // has run (the agent's heartbeat fires every 30 minutes), Docker has made its
      // bind-mount points in the workspace, owned by root: only sudo removes them.
      await asAdmin("systemctl --user stop openclaw-gateway.service && sudo rm -rf ~/.openclaw");
      t = Date.now();
      const restored = await asAdmin(`${LIB}/openclaw-restore.sh ~/backups/${archive} ${PORT}`, 600_000);
      log(`restore: ${seconds(Date.now() - t)}; ${restored.trim().split("\n").pop()}`);
      expect(restored).toMatch(/restored from .*gateway ready after/);
      expect((await asAdmin("cat ~/.openclaw/workspace/MEMO.md")).trim()).toBe("remember: the tier was here");
      expect(await configHash()).toBe(configBefore);
      expect(await jobIds()).toEqual(jobsBefore);
      expect(
        host.sh(`stat -c '%a' /home/${ADMIN}/.openclaw /home/${ADMIN}/.openclaw/openclaw.json`).trim().split("\n"),
      ).toEqual(["700", "600"]);
    },
    20 * 60_000,
  );

  it(
    "day two: a version change to a release that cannot use the live state is refused by that release, after a backup, and the running gateway is kept",
    async () => {
      requireProvisioned();
      const running = DEFAULT_OPENCLAW_VERSION;
      // The release the host ran before its upgrade: the pinned release has
      // migrated the state database since, which the older one refuses to open.
      const older = PREVIOUS_OPENCLAW_VERSION;
      const archivesBefore = Number((await asAdmin("ls ~/backups | wc -l")).trim());
      const pidBefore = (await gatewayUnit()).MainPID;
      const change = stepOf(renderDeployment({ ...args, openclawVersion: older }, secrets), "install-openclaw");
      const t = Date.now();
      const r = await step(change);
      log(
        `refused version change ${running} → ${older}: ${seconds(Date.now() - t)} (its install directory was still there)`,
      );
      expect(r.status, describeResult(change, r)).not.toBe(0);
      expect(r.stdout).toContain("taking a verified backup first");
      // The older release's own words, then the step's verdict.
      expect(r.stderr).toMatch(/cannot open your existing data|newer schema/);
      expect(r.stderr).toContain(`openclaw ${older} rejects the live config; still running openclaw-${running}`);
      expect(host.sh("readlink /opt/openclaw/current").trim()).toBe(`/opt/openclaw/openclaw-${running}`);
      expect(host.sh(`test -x /opt/openclaw/openclaw-${older}/bin/openclaw && echo beside`).trim()).toBe("beside");
      expect(Number((await asAdmin("ls ~/backups | wc -l")).trim())).toBeGreaterThan(archivesBefore);
      const unit = await gatewayUnit();
      expect(unit.ActiveState).toBe("active");
      expect(unit.MainPID).toBe(pidBefore);
      expect((await asAdmin("openclaw --version")).trim()).toContain(running);
      // The pinned steps still converge: nothing else moved.
      const declared = stepOf(rendered, "install-openclaw");
      expectOk(declared, await step(declared), "unchanged");
    },
    30 * 60_000,
  );
}

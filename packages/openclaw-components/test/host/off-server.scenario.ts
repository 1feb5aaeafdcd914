import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parseVerifyReport } from "../../src/verify/verify-step.js";
import { SENTINELS } from "../fixtures.js";
import { freeSlash24, lastLine, log, run, seconds, SftpTarget } from "./harness.js";
import {
  ADMIN,
  SERVER_NAME,
  args,
  asAdmin,
  changeResults,
  deploy,
  dir,
  expectOk,
  facts,
  figures,
  host,
  jobIds,
  net,
  rendered,
  replaceHost,
  requireProvisioned,
  rootfsTarball,
  runEveryStep,
  secretFindings,
  secrets,
  step,
  stepOf,
  useSecrets,
  type StepFigure,
  configHash,
  LIB,
} from "./fixture.js";

/** The repository's directory on the SFTP account, as a user sets `backups.offServer.path`. */
const REPOSITORY = "openclaw/openclaw-tier";
let sftp: SftpTarget | undefined;
let passwordFile: string;

interface Snapshot {
  short_id: string;
  tags?: string[];
}
function snapshotsOnTarget(): Snapshot[] {
  const r = sftp!.restic(REPOSITORY, passwordFile, ["--no-lock", "snapshots", "--json"]);
  if (r.status !== 0) throw new Error(`restic snapshots on the target's disk: ${r.stderr}`);
  return JSON.parse(r.stdout) as Snapshot[];
}
function bytesOnTarget(): number {
  return Number(run("du", ["-sb", sftp!.dir(REPOSITORY)]).stdout.split(/\s/)[0]);
}

/**
 * Off-server backups against a real SFTP server: OpenSSH's `internal-sftp` in
 * a network namespace of its own, which outlives the host (as a Storage Box
 * outlives a server). The repository is read straight from the target's disk
 * with restic on this machine: the snapshots are there, encrypted, and hold
 * OpenClaw's own archive.
 */
export function offServerBackups(): void {
  it(
    "off-server backups: restic over SFTP to a real OpenSSH server; the snapshot is on the target, retention applies, verify reports it",
    async () => {
      requireProvisioned();
      const subnet = freeSlash24(facts.taken, ["198.18.78", "198.19.78", "100.127.253"]);
      if (!subnet) throw new Error("no free address range for the SFTP target");
      const work = mkdtempSync(join(dir, "sftp-target-"));
      // The server's login key, as StateBackups makes one: ED25519, OpenSSH's format.
      const keyFile = join(work, "login");
      const keygen = run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "openclaw-off-server", "-f", keyFile]);
      expect(keygen.status, keygen.stderr).toBe(0);
      passwordFile = join(work, "password");
      writeFileSync(passwordFile, `${SENTINELS.offServerPassword}\n`, { mode: 0o600 });
      sftp = new SftpTarget(work, net, subnet);
      await sftp.start(rootfsTarball, `${keyFile}.pub`);
      useSecrets({ ...secrets, offServerPrivateKey: readFileSync(keyFile, "utf8") });

      const offServer = {
        sftp: { host: sftp.address, user: sftp.user, path: REPOSITORY, hostKeys: sftp.hostKey() },
        password: SENTINELS.offServerPassword,
      };
      const backups = typeof args.backups === "object" ? args.backups : {};
      const reran = await deploy("off-server backups on", { ...args, backups: { ...backups, offServer } });
      expect(reran.filter((n) => n !== "verify")).toEqual(["restore-state", "install-backup-timer"]);
      // This server holds state: restore-state records that and never restores over it.
      const restore = changeResults["restore-state"]!;
      expect(restore.stdout).toContain("this server holds OpenClaw state already: nothing restored");
      expect(lastLine(restore.stdout)).toBe("unchanged");
      const install = changeResults["install-backup-timer"]!;
      expect(install.stdout).toContain("taking the first off-server backup");
      expect(lastLine(install.stdout)).toBe("changed");
      const first = snapshotsOnTarget();
      expect(first.map((s) => s.tags)).toEqual([["openclaw-state"]]);
      const firstBytes = bytesOnTarget();
      // The archive in the snapshot is OpenClaw's own, and whole.
      const dump = sftp.restic(REPOSITORY, passwordFile, ["--no-lock", "dump", "latest", "/openclaw-state.tar.gz"]);
      expect(dump.status, dump.stderr).toBe(0);
      log(
        `off-server: install-backup-timer with restic's install and the first snapshot ${seconds(install.ms)}; repository ${firstBytes} bytes on the target`,
      );
      // Nothing on the target is readable without the password: the repository is encrypted.
      const plain = run("grep", ["-rlaF", "openclaw.json", sftp.dir(REPOSITORY)]);
      expect(plain.stdout).toBe("");
      const verify = parseVerifyReport(changeResults.verify!.stdout);
      expect(verify?.checks.find((c) => c.name === "off-server backup")).toMatchObject({ ok: true });

      // A scheduled backup: one more snapshot, deduplicated, and restic's retention keeps one a day.
      await asAdmin("printf 'a day later\\n' > ~/.openclaw/workspace/OFF-SERVER.md");
      const t = Date.now();
      const out = await asAdmin(`${LIB}/openclaw-backup.sh`, 600_000);
      const pushMs = Date.now() - t;
      const added = /openclaw-off-server: snapshot (\w+) \((\d+) bytes added\)/.exec(out);
      expect(added, out).not.toBeNull();
      const second = snapshotsOnTarget();
      expect(second.map((s) => s.short_id)).toEqual([added![1]]);
      log(
        `off-server: a scheduled backup (archive, verify, push, retention) ${seconds(pushMs)}, ${added![2]} bytes added; repository ${bytesOnTarget()} bytes, ${second.length} snapshot kept (keepDaily)`,
      );
      // The files on the host are closed.
      expect(
        host.sh(`cd /home/${ADMIN}/.config/openclaw-infra/off-server && stat -c '%n %a %U' . *`).trim().split("\n"),
      ).toEqual(
        [".", "id_ed25519", "known_hosts", "password", "settings.json", "ssh_config"].map(
          (f) => `${f} ${f === "." ? 700 : 600} ${ADMIN}`,
        ),
      );
    },
    15 * 60_000,
  );
}

/** The session the replacement must bring back. */
const SESSION = "before-the-replacement";
async function sessionKeys(): Promise<string[]> {
  const out = await asAdmin("openclaw sessions --json --limit all");
  return (JSON.parse(out.slice(out.indexOf("{"))) as { sessions: { key: string }[] }).sessions.map((x) => x.key);
}

/**
 * A replacement: the host is gone for good, and a new one from a fresh image
 * under the same name runs every step, as the next `pulumi up` would. Its
 * restore-state step brings the agent's state back from the newest
 * off-server snapshot before the gateway is configured; nobody runs a
 * restore by hand.
 */
export function replacementFromOffServer(): void {
  it(
    "a replacement host, provisioned from scratch, restores the newest off-server snapshot by itself: the same jobs, config and workspace files",
    async () => {
      requireProvisioned();
      if (!sftp) throw new Error("no SFTP target (see the off-server backups test)");
      await asAdmin("printf 'written just before the replacement\\n' > ~/.openclaw/workspace/OFF-SERVER.md");
      // A session, through the running gateway (`agent --local` refuses while a
      // gateway holds the state directory). The turn fails for want of a
      // credential for this model, and the gateway records the session anyway.
      await asAdmin(
        `openclaw agent --session-id ${SESSION} --model openai/gpt-5.5 -m 'remember this' --timeout 30 >/dev/null 2>&1 || true`,
        180_000,
      );
      expect(await sessionKeys()).toContain(`agent:main:explicit:${SESSION}`);
      const jobsBefore = await jobIds();
      const configBefore = await configHash();
      const pushed = await asAdmin(`${LIB}/openclaw-backup.sh`, 600_000);
      const newest = /openclaw-off-server: snapshot (\w+)/.exec(pushed)?.[1];
      expect(newest, pushed).toBeDefined();

      const stoppedAt = Date.now();
      await replaceHost();
      expect(host.exec(["test", "-e", `/home/${ADMIN}/.openclaw`]).status).not.toBe(0);
      const steps: StepFigure[] = [];
      let healthyAt = 0;
      let restoreOut = "";
      let verifyOut = "";
      await runEveryStep(steps, {
        after: async (s, r) => {
          if (s.name === "restore-state")
            restoreOut = (await asAdmin("cat ~/.config/openclaw-infra/state-held")).trim();
          if (s.name === "start-gateway") healthyAt = Date.now();
          if (s.name === "verify") verifyOut = r.stdout;
        },
      });
      const provisionedAt = Date.now();
      const restoreStep = steps.find((s) => s.name === "restore-state");
      expect(restoreStep?.result).toBe("changed");
      expect(restoreOut).toMatch(new RegExp(`restored from off-server snapshot ${newest}$`));
      figures.replacement = {
        provisionMs: provisionedAt - stoppedAt,
        restoreMs: restoreStep!.ms,
        downtimeMs: healthyAt - stoppedAt,
        steps,
      };
      log(
        `replacement: old host stopped → gateway ready on the new host with the state of snapshot ${newest} ${seconds(healthyAt - stoppedAt)} (restore-state ${seconds(restoreStep!.ms)}); every step done ${seconds(provisionedAt - stoppedAt)}`,
      );

      expect((await asAdmin("cat ~/.openclaw/workspace/OFF-SERVER.md")).trim()).toBe(
        "written just before the replacement",
      );
      expect(await configHash()).toBe(configBefore);
      expect(await jobIds()).toEqual(jobsBefore);
      expect(await sessionKeys()).toContain(`agent:main:explicit:${SESSION}`);
      // Under the same name on the tailnet (the stand-in's record of the node).
      const self = JSON.parse(await asAdmin("tailscale status --json")) as { Self: { HostName: string } };
      expect(self.Self.HostName).toBe(SERVER_NAME);
      // The steps converged on the restored state: the declared jobs were there already.
      expect(steps.find((s) => s.name === "sync-schedules")?.result).toBe("unchanged");
      // The provisioning's own last step checked the host: its report is all green.
      expect(parseVerifyReport(verifyOut)?.ok, verifyOut).toBe(true);
      // A later run never restores over the state the server now holds.
      const again = await step(stepOf(rendered, "restore-state"));
      expectOk(stepOf(rendered, "restore-state"), again, "unchanged");
      expect(again.stdout).toContain("nothing to restore");
      expect(secretFindings()).toEqual([]);
    },
    40 * 60_000,
  );
}

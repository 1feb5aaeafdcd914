/**
 * Off-server backups: the install-backup-timer step with `backups.offServer`,
 * and the programs it installs (openclaw-off-server.sh, and the backup and
 * restore programs that use it), against the real restic writing a local
 * repository in the sandbox (SFTP itself is the host tier's), the fake
 * openclaw's real tar archives and the fake systemd.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, rmSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseVerifyReport } from "../../src/verify/verify-step.js";
import { full, OFF_SERVER, SENTINELS } from "../fixtures.js";
import { argvOf, put, REAL_RESTIC, Sandbox, shellTierAvailable, stepNamed, type Call } from "./harness.js";
import { hostFor, hostWithState, leakedSecrets, render, runProgram } from "./hosts.js";

const available = shellTierAvailable();
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

interface Snapshot {
  id: string;
  short_id: string;
  time: string;
  paths: string[];
  tags: string[];
}

// The verify case runs the whole verify step twice: about 19 s on an idle 2-core machine.
describe.skipIf(!available)(
  "shell tier: off-server backups (real restic, local repository)",
  { timeout: 90_000 },
  () => {
    let sb: Sandbox;
    afterEach(() => sb?.cleanup());

    const on = render({ ...full, backups: { offServer: OFF_SERVER } });
    const off = render({ ...full, backups: {} });
    const step = (r = on) => stepNamed(r.steps, "install-backup-timer");
    const dir = () => join(sb.home, ".config", "openclaw-infra", "off-server");
    const lib = () => join(sb.home, ".local", "lib", "openclaw-infra");
    const repository = () => join(sb.state, "restic-repository");
    /** The repository's snapshots, read with restic itself. */
    const snapshots = (): Snapshot[] => {
      const r = spawnSync(REAL_RESTIC ?? "restic", ["-r", repository(), "snapshots", "--json"], {
        env: { ...process.env, RESTIC_PASSWORD: SENTINELS.offServerPassword },
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Snapshot[];
    };
    const restic = (calls: Call[]) => argvOf(calls, "restic");
    /** A host with the gateway running and state in ~/.openclaw, the backup step applied with off-server backups. */
    function host() {
      const made = hostWithState(on, "install-backup-timer");
      sb = made.sb;
      return made.res;
    }

    it("the step writes the repository's login and password 0600, makes the repository and takes the first snapshot", () => {
      const res = host();
      expect(mode(dir())).toBe("700");
      // Its parents keep their modes (~/.config was made by earlier steps, with the default umask).
      expect(mode(join(sb.home, ".config"))).toBe("755");
      for (const f of ["password", "id_ed25519", "ssh_config", "known_hosts", "settings.json"])
        expect(mode(join(dir(), f)), f).toBe("600");
      expect(readFileSync(join(dir(), "password"), "utf8")).toBe(`${SENTINELS.offServerPassword}\n`);
      expect(readFileSync(join(dir(), "id_ed25519"), "utf8")).toContain("OFFSERVERKEYSENTINEL");
      expect(readFileSync(join(dir(), "ssh_config"), "utf8")).toMatch(
        /Host openclaw-backup-target\n {2}HostName u123456\.your-storagebox\.de\n {2}Port 23\n {2}User u123456\n/,
      );
      expect(readFileSync(join(dir(), "known_hosts"), "utf8")).toMatch(
        /^openclaw-backup-target ssh-ed25519 AAAA\S+\n$/,
      );
      expect(JSON.parse(readFileSync(join(dir(), "settings.json"), "utf8"))).toEqual({
        repository: "sftp:openclaw-backup-target:openclaw/openclaw-vps",
        transport: "sftp",
        keepDaily: 7,
        keepWeekly: 4,
        keepMonthly: 6,
      });
      // Every restic call reaches the server only through the alias in that SSH config.
      const calls = restic(res.calls);
      expect(calls.map((a) => a.slice(1, 4))).toEqual([
        ["--quiet", "-o", `sftp.command=ssh -F ${dir()}/ssh_config openclaw-backup-target -s sftp`],
        ...Array(calls.length - 1).fill([
          "--quiet",
          "-o",
          `sftp.command=ssh -F ${dir()}/ssh_config openclaw-backup-target -s sftp`,
        ]),
      ]);
      expect(calls.map((a) => a[4])).toEqual(["cat", "init", "snapshots", "backup", "forget", "snapshots"]);
      expect(leakedSecrets(res)).toEqual([]);
      const [snap, ...more] = snapshots();
      expect(more).toEqual([]);
      expect(snap!.paths).toEqual(["/openclaw-state.tar.gz"]);
      expect(snap!.tags).toEqual(["openclaw-state"]);
      expect(res.stdout).toContain("taking the first off-server backup");
      expect(res.stdout).toContain(`off-server: newest snapshot ${snap!.short_id} of `);
      expect(res.last).toBe("changed");
    });

    it("run again, the step changes nothing and takes no snapshot", () => {
      host();
      const again = sb.run(step(), { name: step().name });
      expect(again.status, again.stderr).toBe(0);
      expect(again.last).toBe("unchanged");
      expect(restic(again.calls).map((a) => a[4])).toEqual(["cat", "snapshots", "snapshots"]);
      expect(snapshots()).toHaveLength(1);
    });

    it("the timer's backup program stores each archive there too; `latest` names the newest", () => {
      host();
      put(join(sb.home, ".openclaw", "memory.sqlite"), "state v2\n", 0o600);
      const res = runProgram(sb, "openclaw-backup.sh");
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toMatch(
        /openclaw-off-server: snapshot [0-9a-f]{8} \(\d+ bytes added\) in sftp:openclaw-backup-target:/,
      );
      expect(leakedSecrets(res)).toEqual([]);
      // Both archives were taken today: restic's keep-daily keeps the newest of the day.
      const kept = snapshots();
      expect(kept).toHaveLength(1);
      const latest = runProgram(sb, "openclaw-off-server.sh", "latest");
      expect(JSON.parse(latest.stdout.trim()).id).toBe(kept[0]!.id);
    });

    it("restore --off-server: the newest snapshot's archive comes back through OpenClaw's own restore", () => {
      host();
      put(join(sb.home, ".openclaw", "memory.sqlite"), "state v2, after the snapshot\n", 0o600);
      const res = runProgram(sb, "openclaw-restore.sh", "--off-server latest 18789");
      expect(res.status, res.stderr).toBe(0);
      expect(restic(res.calls).map((a) => a.slice(4))).toEqual([
        ["dump", "--tag", "openclaw-state", "latest", "/openclaw-state.tar.gz"],
      ]);
      expect(readFileSync(join(sb.home, ".openclaw", "memory.sqlite"), "utf8")).toBe("state v1\n");
      expect(leakedSecrets(res)).toEqual([]);
    });

    describe("restore-state: the newest snapshot on a server that never held state", () => {
      let fresh: Sandbox | undefined;
      afterEach(() => {
        fresh?.cleanup();
        fresh = undefined;
      });
      const restoreStep = () => stepNamed(on.steps, "restore-state");
      const held = (box: Sandbox) => readFileSync(join(box.home, ".config", "openclaw-infra", "state-held"), "utf8");
      /**
       * A second server under the same name: HOME as before restore-state
       * (OpenClaw installed, no state, none of the library's files or user
       * units), the
       * repository the first one filled. The same sandbox, because OpenClaw's
       * archive records its sources' absolute paths, and a replacement has
       * the same home directory.
       */
      function newServer(): Sandbox {
        host();
        for (const d of [".openclaw", ".config/openclaw-infra", ".local/lib/openclaw-infra", "backups"])
          rmSync(join(sb.home, d), { recursive: true, force: true });
        // No user unit yet: the gateway is installed by start-gateway, later.
        rmSync(join(sb.state, "systemd", "user"), { recursive: true, force: true });
        return sb;
      }

      it("a new server gets the newest snapshot's state back before anything is configured; run again, nothing", () => {
        const box = newServer();
        const snap = snapshots()[0]!;
        expect(existsSync(join(box.home, ".openclaw"))).toBe(false);
        const res = box.run(restoreStep(), { name: "restore-state" });
        expect(res.status, res.stderr).toBe(0);
        expect(res.stdout).toContain(`restoring snapshot ${snap.short_id} of `);
        expect(res.last).toBe("changed");
        expect(readFileSync(join(box.home, ".openclaw", "memory.sqlite"), "utf8")).toBe("state v1\n");
        expect(readFileSync(join(box.home, ".openclaw", "openclaw.json"), "utf8")).toBe("{}\n");
        // Through OpenClaw's own restore; the gateway is not installed yet, so nothing starts it.
        expect(argvOf(res.calls, "openclaw", "backup", "restore")).toHaveLength(1);
        expect(res.stdout).toContain("the gateway is not installed yet, so not started");
        expect(argvOf(res.calls, "systemctl", "--user", "start")).toEqual([]);
        expect(held(box)).toMatch(new RegExp(`restored from off-server snapshot ${snap.short_id}\\n$`));
        expect(mode(join(box.home, ".config", "openclaw-infra", "off-server", "password"))).toBe("600");
        expect(leakedSecrets(res)).toEqual([]);

        // The next run, or one after a change in the state, never restores over it.
        put(join(box.home, ".openclaw", "memory.sqlite"), "state v2, on the new server\n", 0o600);
        const again = box.run(restoreStep(), { name: "restore-state" });
        expect(again.status, again.stderr).toBe(0);
        expect(again.last).toBe("unchanged");
        expect(again.stdout).toContain("nothing to restore");
        expect(restic(again.calls)).toEqual([]);
        expect(readFileSync(join(box.home, ".openclaw", "memory.sqlite"), "utf8")).toBe(
          "state v2, on the new server\n",
        );
      });

      it("a server that holds state is never restored over, even the first time the step runs", () => {
        const made = hostWithState(on, "restore-state");
        sb = made.sb;
        expect(made.res.last).toBe("unchanged");
        expect(made.res.stdout).toContain("this server holds OpenClaw state already: nothing restored");
        expect(restic(made.res.calls)).toEqual([]);
        expect(argvOf(made.res.calls, "openclaw", "backup")).toEqual([]);
        expect(readFileSync(join(sb.home, ".openclaw", "memory.sqlite"), "utf8")).toBe("state v1\n");
        expect(held(sb)).toMatch(/ found on this server\n$/);
      });

      it("the first server of a deployment finds no snapshot and starts empty", () => {
        const box = (fresh = hostFor(on, "restore-state"));
        const res = box.run(restoreStep(), { name: "restore-state" });
        expect(res.status, res.stderr).toBe(0);
        // It installed the off-server and restore programs, which the backup step would have.
        expect(res.last).toBe("changed");
        expect(res.stdout).toContain("holds no snapshot yet: this server starts with empty state");
        expect(existsSync(join(box.home, ".openclaw"))).toBe(false);
        expect(held(box)).toMatch(/ new: the off-server repository held no snapshot\n$/);
      });

      it("a wrong password fails the step, naming the repository, and restores nothing", () => {
        const box = newServer();
        const other = render({ ...full, backups: { offServer: { ...OFF_SERVER, password: "another-password" } } });
        const res = box.run(stepNamed(other.steps, "restore-state"), { name: "restore-state" });
        expect(res.status).toBe(1);
        expect(res.stderr).toMatch(
          /cannot open the repository sftp:openclaw-backup-target:openclaw\/openclaw-vps: .*wrong password/,
        );
        expect(res.stderr).not.toContain("another-password");
        expect(existsSync(join(box.home, ".openclaw"))).toBe(false);
        // No record: the next run tries again.
        expect(existsSync(join(box.home, ".config", "openclaw-infra", "state-held"))).toBe(false);
      });
    });

    it("verify reports the newest snapshot and its age, and fails when the repository's password is readable by others", () => {
      host();
      const verify = stepNamed(on.steps, "verify");
      // This sandbox runs no gateway behind Serve and no Telegram: only the off-server checks matter here.
      const offServerChecks = () => {
        const res = sb.run(verify, { name: verify.name });
        const report = parseVerifyReport(res.stdout);
        expect(report, res.stdout).toBeDefined();
        return { res, checks: report!.checks.filter((c) => c.name.startsWith("off-server")) };
      };
      const ok = offServerChecks();
      const newest = snapshots()[0]!.short_id;
      expect(ok.checks).toEqual([
        { name: "off-server backup", ok: true, detail: `newest snapshot ${newest} 0 h old` },
        { name: "off-server permissions", ok: true, detail: `${dir()} 700` },
      ]);
      chmodSync(join(dir(), "password"), 0o644);
      const bad = offServerChecks();
      expect(bad.checks[1]).toEqual({
        name: "off-server permissions",
        ok: false,
        detail: `${dir()} 700; readable by others: password 644`,
      });
      expect(bad.res.status).toBe(1);
      expect(bad.res.stderr).toMatch(/verification failed on .*off-server permissions/);
      expect(leakedSecrets(bad.res)).toEqual([]);
    });

    it("a wrong password fails the step, naming the repository, and echoes no secret", () => {
      host();
      const other = render({ ...full, backups: { offServer: { ...OFF_SERVER, password: "another-password" } } });
      const res = sb.run(step(other), { name: step().name });
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(
        /cannot open the repository sftp:openclaw-backup-target:openclaw\/openclaw-vps: .*wrong password/,
      );
      expect(res.stderr).not.toContain("another-password");
    });

    it("switched off, the step removes the login and password from the host; the snapshots stay", () => {
      host();
      const res = sb.run(step(off), { name: step().name });
      expect(res.status, res.stderr).toBe(0);
      expect(res.last).toBe("changed");
      expect(existsSync(dir())).toBe(false);
      expect(readdirSync(lib())).toContain("openclaw-off-server.sh");
      expect(snapshots()).toHaveLength(1);
      const again = sb.run(step(off), { name: step().name });
      expect(again.last).toBe("unchanged");
    });

    it("with all backups off, remove-state-backups removes the login and password too; the snapshots stay", () => {
      host();
      const none = render({ ...full, backups: { enabled: false } });
      const remove = stepNamed(none.steps, "remove-state-backups");
      const res = sb.run(remove, { name: remove.name });
      expect(res.status, res.stderr).toBe(0);
      expect(res.last).toBe("changed");
      expect(readdirSync(dir())).toEqual([]);
      expect(snapshots()).toHaveLength(1);
    });
  },
);

/**
 * Off-server backups to S3-compatible storage: the install-backup-timer step
 * with `backups.offServer.s3` and the programs it installs, with the real
 * restic talking S3 over HTTPS to a real S3 server (s3rver, in a network
 * namespace of this test's own; see s3-target.ts for what it checks and what
 * it does not).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseVerifyReport } from "../../src/verify/verify-step.js";
import { full, OFF_SERVER, OFF_SERVER_S3, SENTINELS } from "../fixtures.js";
import { argvOf, put, REAL_RESTIC, Sandbox, shellTierAvailable, stepNamed } from "./harness.js";
import { hostWithState, leakedSecrets, render, runProgram } from "./hosts.js";
import { S3RVER_ACCESS_KEY_ID, S3Target, s3TargetUnavailable } from "./s3-target.js";

const unavailable = s3TargetUnavailable();
if (unavailable) {
  if (process.env.CI) throw new Error(`${unavailable}: CI runs as root with iproute2 and openssl (see .ci/run)`);
  console.warn(`skipping: ${unavailable}`);
}
const available = shellTierAvailable() && !unavailable;
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

// Each case builds a host and runs restic against the server several times: 15 to 20 s on an idle 2-core machine.
describe.skipIf(!available)(
  "shell tier: off-server backups to S3 (real restic, s3rver over HTTPS)",
  { timeout: 90_000 },
  () => {
    const target = new S3Target();
    beforeAll(() => target.start(), 30_000);
    afterAll(() => target.stop());
    let sb: Sandbox;
    afterEach(() => sb?.cleanup());

    const args = (s3: Partial<typeof OFF_SERVER_S3.s3> = {}) =>
      render({
        ...full,
        backups: {
          offServer: {
            ...OFF_SERVER_S3,
            // No region: restic asks the service, as with most S3 stores.
            s3: { ...OFF_SERVER_S3.s3, endpoint: target.endpoint, accessKeyId: S3RVER_ACCESS_KEY_ID, ...s3 },
          },
        },
      });
    const dir = () => join(sb.home, ".config", "openclaw-infra", "off-server");
    const repository = () => `s3:${target.endpoint}/openclaw-backups/openclaw/openclaw-vps`;
    /** A host with state, and an SFTP login left from before, the step applied with S3. */
    function host(r = args()) {
      const made = hostWithState(r, "install-backup-timer", (s) => {
        s.override(target.resticRule(REAL_RESTIC ?? "restic"));
        for (const f of ["id_ed25519", "ssh_config", "known_hosts"])
          put(join(s.home, ".config/openclaw-infra/off-server", f), "old\n", 0o600);
      });
      sb = made.sb;
      return made.res;
    }
    /** The repository's snapshots, as `openclaw-off-server.sh latest` and `snapshots` see them. */
    const snapshotIds = () => {
      const res = runProgram(sb, "openclaw-off-server.sh", "snapshots");
      expect(res.status, res.stderr).toBe(0);
      return [...res.stdout.matchAll(/^([0-9a-f]{8}) /gm)].map((m) => m[1]);
    };

    it("the step writes the key pair 0600 as a credentials file, makes the bucket and repository and the first snapshot", () => {
      const res = host();
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toContain("taking the first off-server backup");
      expect(res.last).toBe("changed");
      expect(mode(dir())).toBe("700");
      for (const f of ["password", "s3_credentials", "settings.json"]) expect(mode(join(dir(), f)), f).toBe("600");
      expect(readFileSync(join(dir(), "s3_credentials"), "utf8")).toBe(
        `[default]\naws_access_key_id = S3RVER\naws_secret_access_key = ${SENTINELS.offServerS3SecretKey}\n`,
      );
      // The SFTP login from before is gone: a switch leaves no login behind.
      for (const f of ["id_ed25519", "ssh_config", "known_hosts"]) expect(existsSync(join(dir(), f)), f).toBe(false);
      // restic got no secret and no S3 option on its command line: the key is read from the file.
      const calls = argvOf(res.calls, "restic");
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) expect(c.slice(1, 2)).toEqual(["--quiet"]);
      expect(leakedSecrets(res)).toEqual([]);
      // What the server holds is restic's: a config, a key, data and a snapshot, all encrypted.
      const objects = target.objects();
      const kinds = new Set(objects.map((o) => o.key.split("/")[3]));
      expect(kinds).toEqual(new Set(["config._S3rver_object", "keys", "data", "index", "snapshots"]));
      expect(objects.every((o) => o.key.startsWith("openclaw-backups/openclaw/openclaw-vps/"))).toBe(true);
      for (const o of objects) {
        expect(o.bytes.includes("state v1"), o.key).toBe(false);
        expect(o.bytes.includes(SENTINELS.offServerS3SecretKey), o.key).toBe(false);
      }
      expect(snapshotIds()).toHaveLength(1);
    });

    it("the timer's backup program pushes there, the retention prunes, and restore brings the newest archive back", () => {
      // With a region, as Hetzner's and AWS's buckets have: restic is told it rather than asking.
      host(args({ region: "us-east-1" }));
      put(join(sb.home, ".openclaw", "memory.sqlite"), "state v2\n", 0o600);
      const backup = runProgram(sb, "openclaw-backup.sh");
      expect(backup.status, backup.stderr).toBe(0);
      for (const call of argvOf(backup.calls, "restic"))
        expect(call.slice(1, 4)).toEqual(["--quiet", "-o", "s3.region=us-east-1"]);
      expect(backup.stdout).toContain(`in ${repository()}`);
      expect(leakedSecrets(backup)).toEqual([]);
      // Both snapshots were taken today: keep-daily keeps the newest.
      expect(snapshotIds()).toHaveLength(1);
      put(join(sb.home, ".openclaw", "memory.sqlite"), "state v3, after the snapshot\n", 0o600);
      const restore = runProgram(sb, "openclaw-restore.sh", "--off-server latest 18789");
      expect(restore.status, restore.stderr).toBe(0);
      expect(readFileSync(join(sb.home, ".openclaw", "memory.sqlite"), "utf8")).toBe("state v2\n");
      expect(leakedSecrets(restore)).toEqual([]);
    });

    it("verify reports the newest snapshot in the bucket", () => {
      host();
      const verify = stepNamed(args().steps, "verify");
      const res = sb.run(verify, { name: verify.name });
      const checks = parseVerifyReport(res.stdout)!.checks.filter((c) => c.name.startsWith("off-server"));
      expect(checks).toEqual([
        { name: "off-server backup", ok: true, detail: expect.stringMatching(/^newest snapshot [0-9a-f]{8} 0 h old$/) },
        { name: "off-server permissions", ok: true, detail: `${dir()} 700` },
      ]);
    });

    it("all backups off, then a switch to SFTP: neither leaves the S3 credentials on the host", () => {
      host();
      const remove = stepNamed(render({ ...full, backups: { enabled: false } }).steps, "remove-state-backups");
      const removed = sb.run(remove, { name: remove.name });
      expect(removed.status, removed.stderr).toBe(0);
      expect(readdirSync(dir())).toEqual([]);
      // On again with S3, then SFTP (restic on a local repository: SFTP itself is the host tier's).
      const again = sb.run(stepNamed(args().steps, "install-backup-timer"), { name: "install-backup-timer" });
      expect(again.status, again.stderr).toBe(0);
      expect(existsSync(join(dir(), "s3_credentials"))).toBe(true);
      sb.override({ argv: ["restic"], run: `exec ${REAL_RESTIC ?? "restic"} -r "$FAKE_STATE/restic-repository" "$@"` });
      const sftp = render({ ...full, backups: { offServer: OFF_SERVER } });
      const switched = sb.run(stepNamed(sftp.steps, "install-backup-timer"), { name: "install-backup-timer" });
      expect(switched.status, switched.stderr).toBe(0);
      expect(readdirSync(dir()).sort()).toEqual([
        "id_ed25519",
        "known_hosts",
        "password",
        "settings.json",
        "ssh_config",
      ]);
    });

    it("an access key the service does not know fails the step, naming the repository, and echoes no secret", () => {
      const r = args({ accessKeyId: "NOTAKEYTHEYKNOW", path: "openclaw/other" });
      const made = hostWithState(args(), "install-backup-timer", (s) =>
        s.override(target.resticRule(REAL_RESTIC ?? "restic")),
      );
      sb = made.sb;
      const res = sb.run(stepNamed(r.steps, "install-backup-timer"), { name: "install-backup-timer" });
      expect(res.status).toBe(1);
      // The service refuses the key at the first request (restic takes that for "no repository yet" and
      // tries to make one): the message names the repository and the service's answer.
      expect(res.stderr).toContain(
        `create repository at s3:${target.endpoint}/openclaw-backups/openclaw/other failed: client.BucketExists: Access Denied.`,
      );
      expect(res.stderr).toContain(
        `cannot create the repository s3:${target.endpoint}/openclaw-backups/openclaw/other`,
      );
      expect(leakedSecrets(res)).toEqual([]);
    });
  },
);

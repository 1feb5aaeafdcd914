/**
 * The first-boot bootstrap, exactly as the rendered user-data ships it (its
 * write_files and runcmd), run as root inside the sandbox with a private /run
 * (where cloud-init writes the Tailscale key) and fakes for loginctl, ufw,
 * systemctl, tailscale, curl, apt-get and shred.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { base, SENTINELS } from "../fixtures.js";
import { put, Sandbox, shellQuote, shellTierAvailable, type Call, type RunResult } from "./harness.js";
import { render } from "./hosts.js";

const available = shellTierAvailable();
const userData = parse(render(base).userData) as {
  write_files: { path: string; permissions: string; content: string }[];
  runcmd: string[][];
};
const file = (path: string) => userData.write_files.find((f) => f.path === path)!;
const KEY = "/run/openclaw-bootstrap/tailscale-authkey";
const APT_OPTS = ["-o", "DPkg::Lock::Timeout=600", "-o", "Acquire::Retries=3"];
const runcmd = userData.runcmd[0]!;
const [, scriptPath, hostname, adminUser] = runcmd as [string, string, string, string];
const argvs = (calls: Call[]) => calls.map((c) => c.argv.join(" "));

function osRelease(): Record<string, string> {
  if (!existsSync("/etc/os-release")) return {};
  return Object.fromEntries(
    readFileSync("/etc/os-release", "utf8")
      .split("\n")
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, "")]),
  );
}

describe.skipIf(!available)("shell tier: first-boot bootstrap.sh (from the rendered user-data)", () => {
  let sb: Sandbox;
  afterEach(() => sb?.cleanup());

  function boot(opts: { key?: boolean; tailnet?: "Running" | "NeedsLogin"; install?: boolean } = {}): RunResult {
    const run = runDir();
    mkdirSync(run, { recursive: true });
    sb.bind(run, "/run");
    put(sb.hostPath(scriptPath), file(scriptPath).content, Number.parseInt(file(scriptPath).permissions, 8));
    if (opts.key ?? true)
      put(`${run}${KEY.slice("/run".length)}`, file(KEY).content, Number.parseInt(file(KEY).permissions, 8));
    sb.rule({ argv: ["systemctl"], source: "systemd.sh" });
    sb.rule({
      argv: ["tailscale", "status", "--json"],
      stdout: `{\n  "Version": "1.90.0",\n  "BackendState": "${opts.tailnet ?? "NeedsLogin"}"\n}\n`,
    });
    sb.rule({ argv: ["shred", "-u"], run: 'rm -f -- "$2"' });
    sb.rule({
      argv: ["apt-get", ...APT_OPTS, "install", "-y", "-q", "tailscale"],
      ...((opts.install ?? true)
        ? { run: 'ln -sfn "$FAKE_RECORDER" "$FAKE_BIN/tailscale"' }
        : { exit: 100, stderr: "E: Unable to locate package tailscale\n" }),
    });
    return sb.run({ command: runcmd.map(shellQuote).join(" ") }, { name: "bootstrap" });
  }
  const runDir = () => join(sb.root, "run");
  const keyLeft = () => existsSync(`${runDir()}${KEY.slice("/run".length)}`);
  const noKeyLeaks = (res: RunResult) => {
    expect(res.calls.some((c) => c.argv.some((a) => a.includes(SENTINELS.tailscaleAuthKey)))).toBe(false);
    expect(res.stdout + res.stderr).not.toContain(SENTINELS.tailscaleAuthKey);
  };

  it("user-data writes the key where bootstrap reads it, 0600, and runs bootstrap with hostname and admin user", () => {
    expect(file(KEY).content).toBe(SENTINELS.tailscaleAuthKey);
    expect(file(KEY).permissions).toBe("0600");
    expect(runcmd).toEqual(["bash", scriptPath, "openclaw-vps", "ubuntu"]);
  });

  it("a fresh host: linger, UFW, sshd reload, tailscaled, then joins the tailnet with the key file (not the key); the key is shredded", () => {
    sb = new Sandbox();
    const res = boot();
    expect(res.status, res.stderr).toBe(0);
    expect(argvs(res.calls)).toEqual([
      `loginctl enable-linger ${adminUser}`,
      "ufw default deny incoming",
      "ufw default allow outgoing",
      "ufw allow in on tailscale0",
      "ufw --force enable",
      "systemctl reload ssh.service",
      "systemctl enable --now tailscaled.service",
      "tailscale status --json",
      `tailscale up --auth-key=file:${KEY} --hostname=${hostname} --operator=${adminUser}`,
      `shred -u ${KEY}`,
    ]);
    expect(res.stdout.trim().split("\n").pop()).toBe("[openclaw-bootstrap] done");
    expect(keyLeft()).toBe(false);
    noKeyLeaks(res);
  });

  it("a host already on the tailnet does not join again, and still shreds the key", () => {
    sb = new Sandbox();
    const res = boot({ tailnet: "Running" });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain("already on the tailnet");
    expect(res.calls.some((c) => c.argv[1] === "up")).toBe(false);
    expect(keyLeft()).toBe(false);
  });

  it("without Tailscale: installs it from its signed apt repository for this distribution first", () => {
    const os = osRelease();
    if (!os.ID || !os.VERSION_CODENAME) {
      console.warn("skipping: /etc/os-release has no ID/VERSION_CODENAME");
      return;
    }
    sb = new Sandbox().removeTool("tailscale");
    const res = boot();
    expect(res.status, res.stderr).toBe(0);
    const repo = `https://pkgs.tailscale.com/stable/${os.ID}`;
    expect(argvs(res.calls).filter((a) => /^(curl|apt-get)/.test(a))).toEqual([
      `curl -fsSL --retry 3 ${repo}/${os.VERSION_CODENAME}.noarmor.gpg -o /usr/share/keyrings/tailscale-archive-keyring.gpg`,
      `curl -fsSL --retry 3 ${repo}/${os.VERSION_CODENAME}.tailscale-keyring.list -o /etc/apt/sources.list.d/tailscale.list`,
      `apt-get ${APT_OPTS.join(" ")} update -q`,
      `apt-get ${APT_OPTS.join(" ")} install -y -q tailscale`,
    ]);
    expect(argvs(res.calls)).toContain(
      `tailscale up --auth-key=file:${KEY} --hostname=${hostname} --operator=${adminUser}`,
    );
  });

  it("without Tailscale, at a busy first boot: an apt-get that fails is tried again after 5 s, then 10 s", () => {
    if (!osRelease().VERSION_CODENAME) return;
    sb = new Sandbox().removeTool("tailscale");
    // What a fresh server's apt-daily does to the first apt-get update, twice.
    sb.rule({
      argv: ["apt-get", ...APT_OPTS, "update"],
      run: 'n=$(cat "$FAKE_STATE/updates" 2>/dev/null || echo 0); echo $((n + 1)) >"$FAKE_STATE/updates"; if [ "$n" -lt 2 ]; then echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 812 (apt-get)" >&2; exit 100; fi',
    });
    const res = boot();
    expect(res.status, res.stderr).toBe(0);
    expect(argvs(res.calls).filter((a) => / update -q$/.test(a))).toHaveLength(3);
    expect(argvs(res.calls).filter((a) => a.startsWith("sleep "))).toEqual(["sleep 5", "sleep 10"]);
    expect(res.stdout).toContain("apt-get update failed (attempt 2); trying again in 10 s");
    expect(argvs(res.calls)).toContain(
      `tailscale up --auth-key=file:${KEY} --hostname=${hostname} --operator=${adminUser}`,
    );
  });

  it("without Tailscale, when its install keeps failing: gives up after 5 attempts, never joins, shreds the key", () => {
    if (!osRelease().VERSION_CODENAME) return;
    sb = new Sandbox().removeTool("tailscale");
    const res = boot({ install: false });
    expect(res.status).not.toBe(0);
    expect(res.stdout).toContain("installing Tailscale failed 5 times; giving up");
    expect(argvs(res.calls).filter((a) => / install -y -q tailscale$/.test(a))).toHaveLength(5);
    expect(argvs(res.calls).filter((a) => a.startsWith("sleep "))).toEqual([
      "sleep 5",
      "sleep 10",
      "sleep 20",
      "sleep 40",
    ]);
    expect(res.calls.some((c) => c.argv[1] === "up")).toBe(false);
    expect(keyLeft()).toBe(false);
  });

  it("no key file → exit 1 saying so, without calling `tailscale up`", () => {
    sb = new Sandbox();
    const res = boot({ key: false });
    expect(res.status).toBe(1);
    expect(res.stdout).toContain(`no Tailscale auth key at ${KEY}`);
    expect(res.calls.some((c) => c.argv[1] === "up")).toBe(false);
  });

  it("a failing `tailscale up` fails the bootstrap, and the key is shredded anyway", () => {
    sb = new Sandbox();
    sb.override({
      argv: ["tailscale", "up"],
      exit: 1,
      stderr: "backend error: invalid key: unable to validate API key\n",
    });
    const res = boot();
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("invalid key");
    expect(argvs(res.calls).pop()).toBe(`shred -u ${KEY}`);
    expect(keyLeft()).toBe(false);
    noKeyLeaks(res);
  });

  it("a host already on a large tailnet (status JSON over a pipe buffer) does not join again", () => {
    sb = new Sandbox();
    // Real tailscale lists every peer after BackendState: with `tailscale … | grep -q`
    // grep stops at the match, tailscale dies of SIGPIPE and pipefail said "not running".
    const peers = Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [
        `nodekey:${String(i).padStart(64, "0")}`,
        { HostName: `peer-${i}`, TailscaleIPs: [`100.64.${i >> 8}.${i & 255}`], Online: true },
      ]),
    );
    put(
      join(sb.state, "status.json"),
      `${JSON.stringify({ Version: "1.90.0", BackendState: "Running", Peer: peers }, null, 2)}\n`,
    );
    sb.override({ argv: ["tailscale", "status", "--json"], run: 'exec cat "$FAKE_STATE/status.json"' });
    const res = boot({ tailnet: "Running" });
    expect(res.stdout).toContain("already on the tailnet");
    expect(res.calls.some((c) => c.argv[1] === "up")).toBe(false);
  });

  it("when shred fails the key is still removed (rm fallback); a failing sshd reload is tolerated", () => {
    sb = new Sandbox();
    sb.override({ argv: ["shred"], exit: 1 });
    sb.override({ argv: ["systemctl", "reload"], exit: 5 });
    const res = boot();
    expect(res.status, res.stderr).toBe(0);
    expect(argvs(res.calls)).toEqual(
      expect.arrayContaining(["systemctl reload ssh.service", "systemctl reload sshd.service"]),
    );
    expect(keyLeft()).toBe(false);
  });
});

/**
 * Exit codes: a failing host tool makes the step fail, non-zero, with a
 * message on stderr that says what went wrong; nothing after the failure runs.
 * The last cases are regressions of bugs this tier found in shipped scripts.
 */
import { existsSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { STEP_PRELUDE } from "../../src/remote/step.js";
import { full, MODEL_AUTH, SENTINELS } from "../fixtures.js";
import {
  argvOf,
  put,
  REAL_ID,
  REAL_INSTALL,
  Sandbox,
  sandboxUid,
  seedUnit,
  shellTierAvailable,
  stepNamed,
} from "./harness.js";
import { hostFor, render, tailscaleServe, tailscaleStatus } from "./hosts.js";

const available = shellTierAvailable();
const r = render(full);
const step = (name: string) => stepNamed(r.steps, name);

describe.skipIf(!available)("shell tier: a failing tool fails the step, clearly", () => {
  let sb: Sandbox;
  afterEach(() => sb?.cleanup());

  it("configure-gateway: `openclaw config patch` exit 1 → fails with 'openclaw rejected the gateway config'; nothing recorded as applied", () => {
    sb = hostFor(r, "configure-gateway");
    sb.override({
      argv: ["openclaw", "config", "patch"],
      exit: 1,
      stderr: "Invalid config: agents.defaults.model.primary: unknown model\n",
    });
    const res = sb.run(step("configure-gateway"));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("error: openclaw rejected the gateway config (the live config is unchanged)");
    expect(res.stderr).toContain("unknown model");
    expect(argvOf(res.calls, "openclaw", "models")).toEqual([]);
    expect(existsSync(join(sb.home, ".openclaw", ".infra", "config-gateway.sha256"))).toBe(false);
    expect(res.stdout).not.toContain("changed");
    // A later run tries again.
    const retry = sb.run(step("configure-gateway"));
    expect(argvOf(retry.calls, "openclaw", "config", "patch")).toHaveLength(1);
  });

  it("configure-gateway: a rejected setup token fails the step (openclaw's message on stderr) and is tried again next time", () => {
    sb = hostFor(r, "configure-gateway");
    sb.override({
      argv: ["openclaw", "models", "auth", "paste-token"],
      exit: 1,
      stderr: "Error: token is not an Anthropic setup token\n",
    });
    const res = sb.run(step("configure-gateway"));
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("token is not an Anthropic setup token");
    expect(res.stderr.includes(SENTINELS.claudeSetupToken)).toBe(false);
    expect(existsSync(join(sb.home, ".openclaw", ".infra", "anthropic-setup-token.sha256"))).toBe(false);
  });

  it("wait-for-host: `cloud-init status --wait` exit 1 → fails naming cloud-init, with its long status on stderr", () => {
    sb = hostFor(r, "wait-for-host");
    sb.override({ argv: ["cloud-init", "status", "--wait"], exit: 1 });
    sb.override({ argv: ["cloud-init", "status", "--long"], stdout: "status: error\nerrors:\n  - runcmd failed\n" });
    const res = sb.run(step("wait-for-host"));
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/error: cloud-init failed on \S+ \(exit 1\)/);
    expect(res.stderr).toContain("runcmd failed");
    expect(argvOf(res.calls, "systemctl")).toEqual([]);
  });

  it("wait-for-host: cloud-init's recoverable warnings (exit 2) are reported, not fatal", () => {
    sb = hostFor(r, "wait-for-host");
    sb.override({ argv: ["cloud-init", "status", "--wait"], exit: 2 });
    const res = sb.run(step("wait-for-host"));
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain("recoverable warnings");
  });

  it("wait-for-host: a user manager that never starts → fails after its 60 s bound, asking about linger", () => {
    sb = new Sandbox();
    sb.rule({ argv: ["cloud-init"] });
    sb.rule({ argv: ["systemctl", "is-active"], exit: 3 });
    const res = sb.run(step("wait-for-host"));
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(
      new RegExp(`error: user@${sandboxUid()}\\.service is not running: is linger enabled for \\S+\\?`),
    );
    expect(argvOf(res.calls, "sleep")).toEqual(Array.from({ length: 60 }, () => ["sleep", "1"]));
    expect(argvOf(res.calls, "systemctl")).toHaveLength(61);
  });

  it("install-openclaw: a Node download with the wrong checksum → 'checksum mismatch', nothing installed", () => {
    sb = hostFor(r, "install-openclaw");
    put(join(sb.state, "node.tar.gz"), "this is not the Node release\n");
    const res = sb.run(step("install-openclaw"));
    expect(res.status).toBe(1);
    const nv = step("install-openclaw").environment.OPENCLAW_NODE_VERSION!;
    expect(res.stderr).toMatch(
      new RegExp(
        `error: checksum mismatch for https://nodejs\\.org/dist/v${nv.replace(/\./g, "\\.")}/node-v[^ ]+\\.tar\\.gz`,
      ),
    );
    expect(argvOf(res.calls, "sudo")).toEqual([]);
    expect(readdirSync(sb.hostPath("/opt"))).toEqual([]);
  });

  it("install-openclaw: a failed download (curl exit 22) fails the step before anything is installed", () => {
    sb = hostFor(r, "install-openclaw");
    sb.override({ argv: ["curl", "-fsSL"], exit: 22, stderr: "curl: (22) The requested URL returned error: 404\n" });
    const res = sb.run(step("install-openclaw"));
    expect(res.status).toBe(22);
    expect(res.stderr).toContain("404");
    expect(argvOf(res.calls, "sudo")).toEqual([]);
  });

  it("install-openclaw: an openclaw that reports another version → fails naming both", () => {
    sb = hostFor(r, "configure-gateway"); // installed already
    sb.env.FAKE_OPENCLAW_VERSION = "2026.1.1";
    const res = sb.run(step("install-openclaw"));
    expect(res.status).toBe(1);
    const v = step("install-openclaw").environment.OPENCLAW_VERSION;
    expect(res.stderr).toContain(
      `error: /opt/openclaw/openclaw-${v} reports 'OpenClaw 2026.1.1 (fake)', expected ${v}; not switching to it`,
    );
  });

  /** A host running 2026.9.6 about to get 2026.10.1. */
  function upgradeHost(): { sb: Sandbox; step: ReturnType<typeof step> } {
    const next = render({ ...full, openclawVersion: "2026.10.1" });
    const host = hostFor(r, "configure-sandbox");
    put(join(host.home, ".openclaw", "openclaw.json"), "{}\n", 0o600);
    host.env.FAKE_OPENCLAW_VERSION = "2026.10.1";
    return { sb: host, step: stepNamed(next.steps, "install-openclaw") };
  }

  it("install-openclaw upgrade: a live config the new version rejects stops before the switch, naming the running version", () => {
    let s: ReturnType<typeof step>;
    ({ sb, step: s } = upgradeHost());
    sb.override({
      argv: ["openclaw", "config", "validate"],
      exit: 1,
      stdout: '{"valid":false,"issues":["agents.defaults.foo: unknown key"]}\n',
    });
    const res = sb.run(s);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("unknown key");
    expect(res.stderr).toContain("error: openclaw 2026.10.1 rejects the live config; still running openclaw-2026.9.6");
    expect(readlinkSync(sb.hostPath("/opt/openclaw/current"))).toBe("/opt/openclaw/openclaw-2026.9.6");
    expect(argvOf(res.calls, "systemctl", "--user", "restart")).toEqual([]);
  });

  it("install-openclaw upgrade: a new version that does not come up is rolled back, and the step fails saying so", () => {
    let s: ReturnType<typeof step>;
    ({ sb, step: s } = upgradeHost());
    // /readyz answers only on the previous release.
    sb.override({
      argv: ["curl", "-fs", "-o", "/dev/null"],
      run: '[ "$(readlink /opt/openclaw/current)" = /opt/openclaw/openclaw-2026.9.6 ]',
    });
    const res = sb.run(s);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(
      "error: openclaw 2026.10.1 was rolled back to openclaw-2026.9.6: the gateway did not become ready",
    );
    expect(res.stderr).toContain("fake journal line");
    expect(readlinkSync(sb.hostPath("/opt/openclaw/current"))).toBe("/opt/openclaw/openclaw-2026.9.6");
    expect(argvOf(res.calls, "sudo", "ln", "-sfn").map((a) => a[3])).toEqual([
      "/opt/openclaw/openclaw-2026.10.1",
      "/opt/openclaw/openclaw-2026.9.6",
    ]);
    // Restarted on the new release; stopped before switching back, started on the old one.
    const order = res.calls.filter(
      (c) =>
        c.tool === "systemctl" &&
        c.argv[1] === "--user" &&
        /^(restart|stop|start)$/.test(c.argv[2] ?? "") &&
        c.argv[3] === "openclaw-gateway.service",
    );
    expect(order.map((c) => c.argv[2])).toEqual(["restart", "stop", "start"]);
    // The old release could open the state: nothing was restored.
    expect(res.stdout).not.toContain("restoring");
  });

  it("install-openclaw upgrade: when the old release cannot open the state the new one left, the rollback restores the archive taken before the switch", () => {
    let s: ReturnType<typeof step>;
    ({ sb, step: s } = upgradeHost());
    put(
      join(sb.state, "openclaw", "audit.json"),
      '{"summary":{"critical":1,"warn":0,"info":0},"findings":[{"severity":"critical","checkId":"fs.config.perms_world_readable"}]}\n',
    );
    // The old release refuses the state once the new one has run (as 2026.9.5 does after 2026.9.6 migrated its
    // database).
    sb.override({
      argv: ["openclaw", "config", "validate"],
      run: 'if [ "$(readlink /opt/openclaw/current)" = /opt/openclaw/openclaw-2026.9.6 ] && [ -e "$FAKE_STATE/new-release-ran" ]; then echo "This OpenClaw build cannot open your existing data." >&2; exit 1; fi; echo \'{"valid":true}\'',
    });
    sb.override({
      argv: ["systemctl", "--user", "restart", "openclaw-gateway.service"],
      run: 'touch "$FAKE_STATE/new-release-ran"',
    });
    const res = sb.run(s);
    expect(res.status).toBe(1);
    const archive = readdirSync(join(sb.home, "backups")).find((f) => f.endsWith("-openclaw-backup.tar.gz"))!;
    expect(res.stdout).toContain(`pre-upgrade archive: ${archive}`);
    expect(res.stdout).toContain(`openclaw-2026.9.6 cannot open the state 2026.10.1 left; restoring ${archive}`);
    expect(res.stdout).toContain(`openclaw-restore: restored from ${archive}`);
    expect(res.stderr).toContain(
      "error: openclaw 2026.10.1 was rolled back to openclaw-2026.9.6: the security audit reports 1 critical finding(s): fs.config.perms_world_readable",
    );
    expect(readlinkSync(sb.hostPath("/opt/openclaw/current"))).toBe("/opt/openclaw/openclaw-2026.9.6");
    // OpenClaw's own restore, from the archive the step took.
    expect(argvOf(res.calls, "openclaw", "backup", "restore").map((a) => a[3])).toEqual([
      join(sb.home, "backups", archive),
    ]);
  });

  it("install-openclaw upgrade: critical security-audit findings roll the upgrade back", () => {
    let s: ReturnType<typeof step>;
    ({ sb, step: s } = upgradeHost());
    put(join(sb.state, "openclaw", "audit.json"), '{"summary":{"critical":2,"warn":0,"info":0}}\n');
    const res = sb.run(s);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(
      "error: openclaw 2026.10.1 was rolled back to openclaw-2026.9.6: the security audit reports 2 critical finding(s)",
    );
    expect(readlinkSync(sb.hostPath("/opt/openclaw/current"))).toBe("/opt/openclaw/openclaw-2026.9.6");
  });

  it.each([["root"], [""], ["0:0"], ["root:root"], ["00"], ["0000:1000"]])(
    "build-sandbox-image: an image whose user is %j fails, mentioning USER 1000, and is never tagged",
    (user) => {
      sb = hostFor(r, "build-sandbox-image");
      sb.env.FAKE_IMAGE_USER = user;
      const res = sb.run(step("build-sandbox-image"));
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/error: .*runs as '[^']+'; sandboxes must not run as root.*USER 1000:1000/);
      expect(argvOf(res.calls, "docker", "tag")).toEqual([]);
      expect(argvOf(res.calls, "systemctl", "--user", "restart")).toEqual([]);
    },
  );

  it("configure-gateway: an auth store left readable by others (an earlier release's write) ends 0600", () => {
    sb = hostFor(r, "configure-gateway");
    const store = put(join(sb.home, ".openclaw", "state", "openclaw.sqlite"), "older store\n", 0o644);
    const res = sb.run(step("configure-gateway"));
    expect(res.status, res.stderr).toBe(0);
    expect(argvOf(res.calls, "openclaw", "models", "auth", "paste-token")).toHaveLength(1);
    expect((statSync(store).mode & 0o777).toString(8)).toBe("600");
  });

  it("verify: OpenClaw's lock databases at 0644 (as 2026.9.6 makes them) are not secret stores", () => {
    sb = hostFor(r, "verify");
    const agent = join(sb.home, ".openclaw", "agents", "main", "agent");
    put(join(agent, "openclaw-agent.sqlite"), "sessions\n", 0o600);
    for (const lock of ["generation-lock", "generation-writer", "reindex-lock"])
      put(join(agent, `openclaw-agent.sqlite.${lock}.sqlite`), "", 0o644);
    put(join(sb.home, ".openclaw", "tmp", "openclaw-1000", "gateway.state.lock.sqlite"), "", 0o644);
    const res = sb.run(step("verify"));
    expect(res.status, res.stdout).toBe(0);
    expect(res.stdout).toMatch(/PASS config permissions/);
  });

  it("verify: a declared credential OpenClaw does not hold fails `model credentials`, naming the provider", () => {
    sb = hostFor(r, "verify");
    const passed = sb.run(step("verify"));
    expect(passed.stdout).toMatch(/PASS model credentials +held: anthropic\n/);
    // The profile gone (logged out by hand, or a restore from before it was stored).
    put(join(sb.home, ".openclaw", "state", "openclaw.sqlite"), "{}\n", 0o600);
    const res = sb.run(step("verify"));
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/FAIL model credentials +missing: anthropic\n/);
    expect(res.stderr).toMatch(/verification failed on .*model credentials/);
  });

  it("verify: a secret store group or others can read fails `config permissions`, naming the file", () => {
    sb = hostFor(r, "verify");
    put(join(sb.home, ".openclaw", "state", "openclaw.sqlite"), "store\n", 0o640);
    const res = sb.run(step("verify"));
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/FAIL config permissions .*readable by others: state\/openclaw\.sqlite 640/);
    expect(res.stderr).toMatch(/verification failed on .*config permissions/);
  });

  it.each([
    [
      "tailnet name",
      // A stale node holds the name: this one is "-1", and its certificate and Serve route follow.
      (b: Sandbox) => {
        const stale = "openclaw-vps-1.tail1234.ts.net";
        b.override({
          argv: ["tailscale", "status", "--json"],
          stdout: tailscaleStatus(r, { DNSName: `${stale}.` }, { CertDomains: [stale] }),
        });
        b.override({ argv: ["tailscale", "serve", "status", "--json"], stdout: tailscaleServe(r, undefined, stale) });
      },
      "openclaw-vps-1.tail1234.ts.net, expected openclaw-vps.tail1234.ts.net",
    ],
    [
      "magicdns https",
      (b: Sandbox) =>
        b.override({ argv: ["tailscale", "status", "--json"], stdout: tailscaleStatus(r, {}, { CertDomains: [] }) }),
      "MagicDNS on; HTTPS certificate for openclaw-vps.tail1234.ts.net: no",
    ],
    [
      "tailscale serve",
      (b: Sandbox) => b.override({ argv: ["tailscale", "serve", "status", "--json"], stdout: "{}\n" }),
      "https://openclaw-vps.tail1234.ts.net/ to no route",
    ],
    [
      "tailscale serve",
      // A route to a loopback port the gateway does not listen on.
      (b: Sandbox) =>
        b.override({
          argv: ["tailscale", "serve", "status", "--json"],
          stdout: tailscaleServe(r, "http://127.0.0.1:9"),
        }),
      "https://openclaw-vps.tail1234.ts.net/ to http://127.0.0.1:9 (listener pid none, gateway pid 4242)",
    ],
    [
      "tailscale serve",
      // A route off loopback is never the gateway's.
      (b: Sandbox) =>
        b.override({
          argv: ["tailscale", "serve", "status", "--json"],
          stdout: tailscaleServe(r, "http://10.0.0.5:43901"),
        }),
      "https://openclaw-vps.tail1234.ts.net/ to http://10.0.0.5:43901",
    ],
    ["node version", (b: Sandbox) => b.override({ argv: ["node", "--version"], stdout: "v24.20.0\n" }), "v24.20.0"],
    [
      "openclaw health",
      (b: Sandbox) =>
        put(
          join(b.state, "openclaw", "health.json"),
          '{"ok":false,"channels":{"telegram":{"running":true,"connected":true,"lastError":null},"discord":{"running":true,"connected":true,"lastError":null},"slack":{"running":true,"connected":true,"lastError":null},"whatsapp":{"running":true,"connected":true,"linked":true,"lastError":null}}}\n',
        ),
      "openclaw health: not ok",
    ],
    [
      "telegram channel",
      (b: Sandbox) =>
        put(
          join(b.state, "openclaw", "health.json"),
          '{"ok":true,"channels":{"telegram":{"running":true,"connected":false,"lastError":"409: Conflict"},"discord":{"running":true,"connected":true,"lastError":null},"slack":{"running":true,"connected":true,"lastError":null},"whatsapp":{"running":true,"connected":true,"linked":true,"lastError":null}}}\n',
        ),
      "telegram: not connected (409: Conflict)",
    ],
    [
      "discord channel",
      // The plugin missing: OpenClaw's health has no Discord channel at all.
      (b: Sandbox) =>
        put(
          join(b.state, "openclaw", "health.json"),
          '{"ok":true,"channels":{"telegram":{"running":true,"connected":true,"lastError":null},"slack":{"running":true,"connected":true,"lastError":null},"whatsapp":{"running":true,"connected":true,"linked":true,"lastError":null}}}\n',
        ),
      "discord: not configured",
    ],
    [
      "slack channel",
      // Socket Mode refused: a revoked app-level token.
      (b: Sandbox) =>
        put(
          join(b.state, "openclaw", "health.json"),
          '{"ok":true,"channels":{"telegram":{"running":true,"connected":true,"lastError":null},"discord":{"running":true,"connected":true,"lastError":null},"slack":{"running":true,"connected":false,"lastError":"invalid_auth"},"whatsapp":{"running":true,"connected":true,"linked":true,"lastError":null}}}\n',
        ),
      "slack: not connected (invalid_auth)",
    ],
    [
      "whatsapp channel",
      // Never linked (or logged out): the channel is configured and dials nothing.
      (b: Sandbox) =>
        put(
          join(b.state, "openclaw", "health.json"),
          '{"ok":true,"channels":{"telegram":{"running":true,"connected":true,"lastError":null},"discord":{"running":true,"connected":true,"lastError":null},"slack":{"running":true,"connected":true,"lastError":null},"whatsapp":{"configured":true,"running":false,"connected":false,"linked":false,"lastError":null}}}\n',
        ),
      "whatsapp: not linked: link the account once, over SSH on this host: openclaw channels login --channel whatsapp",
    ],
  ])("verify: %s fails, naming itself, when broken", (check, breakIt, detail) => {
    sb = hostFor(r, "verify");
    breakIt(sb);
    const res = sb.run(step("verify"));
    expect(res.status).toBe(1);
    const report = JSON.parse(res.stdout.split("\n").find((l) => l.startsWith('{"host":'))!) as {
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([check]);
    expect(report.checks.find((c) => c.name === check)!.detail).toContain(detail);
    expect(res.stderr).toMatch(new RegExp(`verification failed on .*${check}`));
  });

  it("build-sandbox-image: a failed docker build fails the step and leaves no hash behind, so the next run rebuilds", () => {
    sb = hostFor(r, "build-sandbox-image");
    sb.override({
      argv: ["docker", "build", "--progress=plain", "--build-arg"],
      exit: 1,
      stderr: "ERROR: failed to solve: process did not complete successfully\n",
    });
    const res = sb.run(step("build-sandbox-image"));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("failed to solve");
    expect(argvOf(res.calls, "docker", "tag")).toEqual([]);
  });

  it("configure-sandbox: a missing image → refuses to point the gateway at it", () => {
    sb = hostFor(r, "build-sandbox-image"); // before the image exists
    const res = sb.run(step("configure-sandbox"));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("does not exist; refusing to configure the gateway with it");
    expect(argvOf(res.calls, "openclaw")).toEqual([]);
  });

  it("install-docker: a metadata rule missing after Docker started → fails saying so", () => {
    sb = hostFor(r, "install-docker");
    sb.override({ argv: ["iptables", "-w", "-C"], exit: 1 });
    const res = sb.run(step("install-docker"));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("error: the metadata block rule is missing from DOCKER-USER after Docker started");
  });

  it("start-gateway: /readyz never answering → fails after the 180 s bound with the journal's tail", () => {
    sb = hostFor(r, "start-gateway");
    sb.override({ argv: ["curl"], exit: 7, stderr: "curl: (7) Failed to connect to 127.0.0.1 port 18789\n" });
    const res = sb.run(step("start-gateway"));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("error: the gateway did not become ready within 180s; last journal lines:");
    expect(res.stderr).toContain("fake journal line: config invalid");
    expect(argvOf(res.calls, "journalctl")).toEqual([
      ["journalctl", "--user", "-u", "openclaw-gateway.service", "-n", "40", "--no-pager"],
    ]);
    expect(argvOf(res.calls, "curl")).toHaveLength(91);
    expect(argvOf(res.calls, "sleep")).toEqual(Array.from({ length: 90 }, () => ["sleep", "2"]));
  });

  it("lib.sh wait_for_gateway (tiny harness): honours its timeout, and reports the wait when the gateway comes up", () => {
    sb = new Sandbox();
    sb.rule({ argv: ["curl"], exit: 7 });
    const down = sb.run({ command: `${STEP_PRELUDE}\nwait_for_gateway 18789 4\necho "not reached"\n` });
    expect(down.status).toBe(1);
    expect(down.stderr).toContain("did not become ready within 4s");
    expect(down.stdout).not.toContain("not reached");
    expect(argvOf(down.calls, "curl")).toHaveLength(3);
    sb.cleanup();
    sb = new Sandbox();
    // Up on the third attempt.
    sb.rule({
      argv: ["curl"],
      run: 'n=$(cat "$FAKE_STATE/n" 2>/dev/null || echo 0); echo $((n + 1)) >"$FAKE_STATE/n"; [ "$n" -ge 2 ]',
    });
    const up = sb.run({ command: `${STEP_PRELUDE}\nwait_for_gateway 18789 10\n` });
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout).toContain("gateway ready after 4s");
    expect(argvOf(up.calls, "journalctl")).toEqual([]);
  });

  it("start-gateway: a unit that fails to start fails the step with systemd's message", () => {
    sb = hostFor(r, "start-gateway");
    seedUnit(sb, "user", "openclaw-gateway.service", []);
    put(join(sb.state, "systemd", "user", "openclaw-gateway.service.broken"), "");
    const res = sb.run(step("start-gateway"));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("Job for openclaw-gateway.service failed");
    expect(argvOf(res.calls, "curl")).toEqual([]);
  });

  it("sync-schedules: a paginated cron list → refuses to sync a partial list", () => {
    sb = hostFor(r, "sync-schedules");
    put(join(sb.state, "openclaw", "cron.json"), '{"jobs":[],"hasMore":true}\n');
    const res = sb.run(step("sync-schedules"));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("error: cron list is paginated; refusing to sync a partial list");
    expect(argvOf(res.calls, "openclaw", "cron", "add")).toEqual([]);
  });

  it("sync-schedules: `cron list` failing fails the step before any change", () => {
    sb = hostFor(r, "sync-schedules");
    sb.override({
      argv: ["openclaw", "cron", "list"],
      exit: 1,
      stderr: "Error: gateway not reachable on 127.0.0.1:18789\n",
    });
    const res = sb.run(step("sync-schedules"));
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("gateway not reachable");
    expect(argvOf(res.calls, "openclaw", "cron", "add")).toEqual([]);
  });

  it("sync-schedules: `cron add` failing fails the step", () => {
    sb = hostFor(r, "sync-schedules");
    sb.override({ argv: ["openclaw", "cron", "add"], exit: 1, stderr: "Error: invalid cron expression\n" });
    const res = sb.run(step("sync-schedules"));
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("invalid cron expression");
    expect(argvOf(res.calls, "openclaw", "cron", "add")).toHaveLength(1);
  });

  it.each([
    ["setup-workspace", "no deploy key on stdin"],
    ["configure-telegram", "no telegram config patch on stdin"],
    ["configure-discord", "no discord config patch on stdin"],
    ["configure-slack", "no slack config patch on stdin"],
    ["configure-whatsapp", "no whatsapp config patch on stdin"],
    ["configure-gateway", "no Anthropic setup token on stdin"],
  ])("%s: empty stdin → fails with %j, writes nothing", (name, message) => {
    sb = hostFor(r, name);
    const res = sb.run({ ...step(name), stdin: "" });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`error: ${message}`);
    expect(argvOf(res.calls, "openclaw")).toEqual([]);
    expect(existsSync(join(sb.home, ".ssh", "openclaw_workspace_ed25519"))).toBe(false);
  });

  it("configure-gateway: a declared API key missing from stdin fails before anything is written", () => {
    const withKeys = stepNamed(render({ ...full, modelAuth: MODEL_AUTH }).steps, "configure-gateway");
    sb = hostFor(r, "configure-gateway");
    const [token, , ...patch] = withKeys.stdin!.split("\n");
    const res = sb.run({
      ...withKeys,
      stdin: [token, JSON.stringify({ openai: SENTINELS.openaiApiKey }), ...patch].join("\n"),
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("error: no openrouter API key on stdin");
    expect(res.stderr).not.toContain(SENTINELS.openaiApiKey);
    expect(argvOf(res.calls, "openclaw")).toEqual([]);
  });

  it("a missing input variable fails the step before it does anything", () => {
    sb = hostFor(r, "start-gateway");
    const res = sb.run(step("start-gateway"), { env: { OPENCLAW_GATEWAY_UNIT: "" } });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("OPENCLAW_GATEWAY_UNIT");
    expect(res.calls.filter((c) => c.tool !== "id")).toEqual([]);
  });

  // ---- known bugs in shipped scripts (see the shell tier's report) ----

  it("sync-schedules: a '[tag] …' log line before the JSON (what json_only exists for) is skipped", () => {
    sb = hostFor(r, "sync-schedules");
    put(join(sb.state, "openclaw", "cron-list-preamble"), "[plugins] loaded 3 plugins\n");
    const res = sb.run(step("sync-schedules"));
    // Today: fails with the misleading "cron list is paginated".
    expect(res.stderr).toBe("");
    expect(res.status).toBe(0);
  });

  it("sync-schedules: a message ending in a newline is refused before any step (OpenClaw trims it: no sync would converge)", () => {
    // OpenClaw 2026.9.6's `cron add` normalises --message and --name (trims them), so the job it
    // stores never equals a declared message with a trailing newline, and every sync would update it.
    expect(() =>
      render({
        ...full,
        telegram: {
          ...full.telegram!,
          botToken: SENTINELS.telegramBotToken,
          schedules: [{ name: "Notes", cron: "0 8 * * *", message: "Line one\nLine two\n" }],
        },
      }),
    ).toThrow(/telegram\.schedules\[0\] \("Notes"\)\.message: has leading or trailing whitespace/);
  });

  it("lib.sh install_text: a failed write fails the step (setup-workspace's deploy key on a full disk)", () => {
    sb = hostFor(r, "setup-workspace");
    sb.addTool("install");
    sb.rule({
      argv: ["install", "-m", "0600", "/dev/stdin", "*/openclaw_workspace_ed25519"],
      exit: 1,
      stderr: "install: error writing '/dev/stdin': No space left on device\n",
    });
    sb.rule({ argv: ["install"], run: `exec ${REAL_INSTALL} "$@"` });
    sb.rule({ argv: ["id"], run: `exec ${REAL_ID} "$@"` });
    const res = sb.run(step("setup-workspace"));
    // Today: exit 0, "changed", and no key on disk: the sync then fails forever asking for the deploy key.
    expect(existsSync(join(sb.home, ".ssh", "openclaw_workspace_ed25519"))).toBe(false);
    expect(res.status).not.toBe(0);
  });
});

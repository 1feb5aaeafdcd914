/**
 * Switching a feature off: each feature's own steps run first (as `pulumi up`
 * ran them while it was on), then the deployment without it renders its
 * `remove-*` steps, which must leave nothing of it on the host but what the
 * agent made, converge ("unchanged" on a second run), and let the feature's
 * steps install it again when it is switched back on.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { base, full } from "../fixtures.js";
import { argvOf, put, Sandbox, seedUnit, shellTierAvailable, stepNamed } from "./harness.js";
import { hostFor, render } from "./hosts.js";

const available = shellTierAvailable();
interface Config {
  gateway?: object;
  channels?: { telegram?: object; discord?: object; slack?: object; whatsapp?: object };
  plugins?: { entries?: Record<string, { enabled?: boolean }> };
  agents?: { defaults?: { sandbox?: object; model?: object } };
}
const on = render(full);
const off = render({ ...base, sandbox: { enabled: false }, backups: { enabled: false } });
const config = (sb: Sandbox) => JSON.parse(readFileSync(join(sb.home, ".openclaw", "openclaw.json"), "utf8")) as Config;

describe.skipIf(!available)("shell tier: a feature switched off leaves nothing behind", () => {
  let sb: Sandbox;
  afterEach(() => sb?.cleanup());

  /** What configure-gateway left: the part no removal may touch. */
  const seedGatewayConfig = () =>
    put(
      join(sb.home, ".openclaw", "openclaw.json"),
      `${JSON.stringify({ gateway: { port: 18789 }, agents: { defaults: { model: { primary: "anthropic/claude-opus-5" } } } })}\n`,
      0o600,
    );

  /** Runs the named steps of a rendering in order; each must succeed. */
  function apply(r: typeof on, ...names: string[]): string[] {
    return names.map((name) => {
      const res = sb.run(stepNamed(r.steps, name), { name });
      expect(res.status, `${name}: ${res.stderr}`).toBe(0);
      return res.last;
    });
  }

  it("the deployment without them renders one removal per feature, after the gateway and before verify", () => {
    const names = off.steps.map((s) => s.name);
    expect(names).toEqual([
      "wait-for-host",
      "install-openclaw",
      "configure-gateway",
      "start-gateway",
      "remove-sandbox",
      "remove-discord",
      "remove-slack",
      "remove-whatsapp",
      "remove-telegram",
      // No jobs declared: the sync removes the library's.
      "sync-schedules",
      "remove-workspace-sync",
      "remove-state-backups",
      "apply-openclaw-config",
      "verify",
    ]);
    expect(on.steps.map((s) => s.name).filter((n) => n.startsWith("remove-"))).toEqual([]);
  });

  it("Telegram: the channel goes, then the owned jobs (a job made by hand stays); the gateway restarts once", () => {
    sb = hostFor(on, "configure-telegram");
    seedGatewayConfig();
    seedUnit(sb, "user", "openclaw-gateway.service", ["enabled", "active"]);
    apply(on, "configure-telegram", "sync-schedules");
    const cron = join(sb.state, "openclaw", "cron.json");
    const jobs = JSON.parse(readFileSync(cron, "utf8")) as { jobs: { name: string }[] };
    put(
      cron,
      `${JSON.stringify({ ...jobs, jobs: [...jobs.jobs, { id: "mine", name: "Mine", declarationKey: "" }] })}\n`,
    );
    expect(config(sb).channels?.telegram).toBeDefined();
    const before = sb.calls().length;

    expect(apply(off, "remove-telegram", "sync-schedules")).toEqual(["changed", "changed"]);
    const left = JSON.parse(readFileSync(cron, "utf8")) as { jobs: { id: string }[] };
    expect(left.jobs.map((j) => j.id)).toEqual(["mine"]);
    expect(config(sb).channels?.telegram).toBeUndefined();
    expect(config(sb).gateway).toBeDefined();
    const calls = sb.calls().slice(before);
    expect(argvOf(calls, "systemctl", "--user", "restart")).toEqual([
      ["systemctl", "--user", "restart", "openclaw-gateway.service"],
    ]);
    expect(apply(off, "remove-telegram", "sync-schedules")).toEqual(["unchanged", "unchanged"]);

    // Switched back on: the channel's config is applied again.
    expect(apply(on, "configure-telegram", "sync-schedules")).toEqual(["changed", "changed"]);
    expect(config(sb).channels?.telegram).toBeDefined();
  });

  it.each([
    ["Discord", "discord"],
    ["Slack", "slack"],
    ["WhatsApp", "whatsapp"],
  ] as const)(
    "%s: the channel goes, then its plugin; the gateway restarts for each; on again, both come back",
    (_, id) => {
      const [install, configure, remove] = [`install-${id}-plugin`, `configure-${id}`, `remove-${id}`];
      sb = hostFor(on, install);
      seedGatewayConfig();
      seedUnit(sb, "user", "openclaw-gateway.service", ["enabled", "active"]);
      expect(apply(on, install, configure)).toEqual(["changed", "changed"]);
      expect(config(sb).channels?.[id]).toBeDefined();
      const plugins = join(sb.state, "openclaw", "plugins.json");
      const installed = () => (JSON.parse(readFileSync(plugins, "utf8")) as { id: string }[]).map((p) => p.id);
      expect(installed()).toContain(id);
      const others = installed().filter((p) => p !== id);
      const before = sb.calls().length;

      expect(apply(off, remove)).toEqual(["changed"]);
      expect(config(sb).channels?.[id]).toBeUndefined();
      expect(config(sb).gateway).toBeDefined();
      // Only its own plugin goes.
      expect(installed()).toEqual(others);
      const calls = sb.calls().slice(before);
      expect(argvOf(calls, "openclaw", "plugins", "uninstall")).toEqual([
        ["openclaw", "plugins", "uninstall", "--force", "--", id],
      ]);
      expect(argvOf(calls, "systemctl", "--user", "restart")).toHaveLength(2);
      // Uninstall leaves { enabled: false }, which a reinstall would keep: it goes too.
      expect(config(sb).plugins?.entries?.[id]).toBeUndefined();
      expect(apply(off, remove)).toEqual(["unchanged"]);

      // Switched back on: the plugin and the channel's config come back.
      expect(apply(on, install, configure)).toEqual(["changed", "changed"]);
      expect(config(sb).channels?.[id]).toBeDefined();
      expect(config(sb).plugins?.entries?.[id]).toEqual({ enabled: true });
    },
  );

  it("WhatsApp: its link goes last, after the channel and the plugin; the rest of OpenClaw's credentials stay", () => {
    sb = hostFor(on, "install-whatsapp-plugin");
    seedGatewayConfig();
    seedUnit(sb, "user", "openclaw-gateway.service", ["enabled", "active"]);
    expect(apply(on, "install-whatsapp-plugin", "configure-whatsapp")).toEqual(["changed", "changed"]);
    // What `openclaw channels login --channel whatsapp` leaves: the linked device's keys.
    const credentials = join(sb.home, ".openclaw", "credentials");
    put(join(credentials, "whatsapp", "default", "creds.json"), '{"registered":true}\n', 0o600);
    put(join(credentials, "other.json"), "{}\n", 0o600);
    // configure-whatsapp again (a changed allowlist): the link stays.
    expect(apply(render({ ...full, whatsapp: { allowFrom: ["+14155550123"] } }), "configure-whatsapp")).toEqual([
      "changed",
    ]);
    expect(existsSync(join(credentials, "whatsapp", "default", "creds.json"))).toBe(true);

    const res = sb.run(stepNamed(off.steps, "remove-whatsapp"), { name: "remove-whatsapp" });
    expect(res.status, res.stderr).toBe(0);
    expect(res.last).toBe("changed");
    expect(existsSync(join(credentials, "whatsapp"))).toBe(false);
    expect(existsSync(join(credentials, "other.json"))).toBe(true);
    // Removed after the gateway restarted without the channel, so nothing writes it again.
    const lines = res.stdout.split("\n");
    expect(lines.findIndex((l) => l.includes("removing ~/.openclaw/credentials/whatsapp"))).toBeGreaterThan(
      lines.findIndex((l) => l.includes("uninstalling the whatsapp plugin")),
    );
    expect(apply(off, "remove-whatsapp")).toEqual(["unchanged"]);
  });

  it("Discord: a plugin list that cannot be read fails the removal instead of passing for nothing to do", () => {
    sb = hostFor(on, "install-discord-plugin");
    seedGatewayConfig();
    sb.override({ argv: ["openclaw", "plugins", "list"], stdout: '{"diagnostics":[]}\n' });
    const res = sb.run(stepNamed(off.steps, "remove-discord"), { name: "remove-discord" });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("error: openclaw's plugin list is not JSON with a plugins array");
  });

  it("workspace sync: the timer stops, its units, program and deploy key go; the workspace stays", () => {
    sb = hostFor(on, "setup-workspace");
    apply(on, "setup-workspace", "install-sync-timer");
    put(join(sb.home, ".openclaw", "workspace", "notes.md"), "the agent's\n");
    const units = join(sb.home, ".config", "systemd", "user");
    expect(existsSync(join(units, "openclaw-workspace-sync.timer"))).toBe(true);
    const before = sb.calls().length;

    expect(apply(off, "remove-workspace-sync")).toEqual(["changed"]);
    for (const gone of [
      join(units, "openclaw-workspace-sync.timer"),
      join(units, "openclaw-workspace-sync.service"),
      join(sb.home, ".local", "lib", "openclaw-infra", "workspace-sync.sh"),
      join(sb.home, ".ssh", "openclaw_workspace_ed25519"),
      join(sb.home, ".ssh", "config.d", "openclaw-workspace.conf"),
    ])
      expect(existsSync(gone), gone).toBe(false);
    expect(readFileSync(join(sb.home, ".openclaw", "workspace", "notes.md"), "utf8")).toBe("the agent's\n");
    const calls = sb.calls().slice(before);
    expect(argvOf(calls, "systemctl", "--user", "disable")).toEqual([
      ["systemctl", "--user", "disable", "--now", "openclaw-workspace-sync.timer"],
      ["systemctl", "--user", "disable", "--now", "openclaw-workspace-sync.service"],
    ]);
    expect(argvOf(calls, "systemctl", "--user", "daemon-reload")).toHaveLength(1);
    expect(apply(off, "remove-workspace-sync")).toEqual(["unchanged"]);
    expect(apply(on, "setup-workspace", "install-sync-timer")).toEqual(["changed", "changed"]);
  });

  it("state backups: the timer and the backup program go; the archives and the restore program stay", () => {
    sb = hostFor(on, "install-backup-timer");
    apply(on, "install-backup-timer");
    const archive = put(join(sb.home, "backups", "2026-11-29T03-00-00-openclaw-backup.tar.gz"), "archive\n", 0o600);
    const lib = join(sb.home, ".local", "lib", "openclaw-infra");

    expect(apply(off, "remove-state-backups")).toEqual(["changed"]);
    expect(existsSync(join(sb.home, ".config", "systemd", "user", "openclaw-backup.timer"))).toBe(false);
    expect(existsSync(join(sb.home, ".config", "systemd", "user", "openclaw-backup.service"))).toBe(false);
    expect(existsSync(join(lib, "openclaw-backup.sh"))).toBe(false);
    expect(existsSync(join(lib, "openclaw-restore.sh"))).toBe(true);
    expect(existsSync(archive)).toBe(true);
    expect(apply(off, "remove-state-backups")).toEqual(["unchanged"]);
    expect(apply(on, "install-backup-timer")).toEqual(["changed"]);
  });

  it("the sandbox: its containers, both images and its config part go; the gateway restarts", () => {
    sb = hostFor(on, "build-sandbox-image");
    seedGatewayConfig();
    seedUnit(sb, "user", "openclaw-gateway.service", ["enabled", "active"]);
    apply(on, "build-sandbox-image", "configure-sandbox");
    put(join(sb.state, "docker", "containers"), "openclaw-sbx-main-1\nopenclaw-sbx-main-2\n");
    const images = () => readdirSync(join(sb.state, "docker", "images"));
    expect(images().length).toBeGreaterThan(0);
    expect(config(sb).agents?.defaults?.sandbox).toBeDefined();
    const before = sb.calls().length;

    expect(apply(off, "remove-sandbox")).toEqual(["changed"]);
    expect(images()).toEqual([]);
    expect(readFileSync(join(sb.state, "docker", "containers"), "utf8")).toBe("");
    expect(config(sb).agents?.defaults?.sandbox).toBeUndefined();
    expect(config(sb).agents?.defaults?.model).toBeDefined();
    expect(argvOf(sb.calls().slice(before), "systemctl", "--user", "restart")).toHaveLength(1);
    expect(apply(off, "remove-sandbox")).toEqual(["unchanged"]);
    expect(apply(on, "build-sandbox-image", "configure-sandbox")).toEqual(["changed", "changed"]);
  });

  it("on a host that never had the feature: nothing to do, and it says so", () => {
    sb = hostFor(off, "verify");
    const res = sb.run(stepNamed(off.steps, "remove-state-backups"), { name: "remove-state-backups" });
    expect(res.status, res.stderr).toBe(0);
    expect(res.last).toBe("unchanged");
    expect(res.stdout).toContain("state backups: nothing of it is left on the host");
  });
});

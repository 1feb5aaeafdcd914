/**
 * Every remote step of the `full` deployment, run for real (bash -c of the
 * rendered command, its environment and stdin) against recording fakes that
 * answer like a healthy host: exit 0, `changed` on a fresh HOME, `unchanged`
 * when run again with the same inputs, and no secret in any recorded argv or
 * in the step's output.
 */
import { statSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemoteStep } from "../../src/remote/step.js";
import { full, RENDER_SECRETS, SENTINELS } from "../fixtures.js";
import { put, Sandbox, shellTierAvailable, stats, stepNamed, type Call, type RunResult } from "./harness.js";
import { hostFor, leakedSecrets, render, STEP_ORDER, withNodeArchive } from "./hosts.js";

const available = shellTierAvailable();
const r = render(full);

/** Last stdout line on a fresh HOME, then on a second run with the same inputs. */
type FullStep = Exclude<(typeof STEP_ORDER)[number], `remove-${string}` | "restore-state">;
/**
 * The full deployment has every feature on: no removal step (removal.test.ts
 * has those), and no off-server repository to restore from (off-server-backup.test.ts).
 */
const FULL_STEPS = STEP_ORDER.filter((n): n is FullStep => !n.startsWith("remove-") && n !== "restore-state");
const EXPECTED: Record<FullStep, [string, string]> = {
  // Waits for the host and changes nothing, by design.
  "wait-for-host": ["unchanged", "unchanged"],
  "install-openclaw": ["changed", "unchanged"],
  "configure-gateway": ["changed", "unchanged"],
  "start-gateway": ["changed", "unchanged"],
  "install-docker": ["changed", "unchanged"],
  "build-sandbox-image": ["changed", "unchanged"],
  "configure-sandbox": ["changed", "unchanged"],
  "configure-telegram": ["changed", "unchanged"],
  "sync-schedules": ["changed", "unchanged"],
  "install-discord-plugin": ["changed", "unchanged"],
  "configure-discord": ["changed", "unchanged"],
  "install-slack-plugin": ["changed", "unchanged"],
  "configure-slack": ["changed", "unchanged"],
  "install-whatsapp-plugin": ["changed", "unchanged"],
  "configure-whatsapp": ["changed", "unchanged"],
  "setup-workspace": ["changed", "unchanged"],
  "install-sync-timer": ["changed", "unchanged"],
  "install-backup-timer": ["changed", "unchanged"],
  "apply-openclaw-config": ["changed", "unchanged"],
  // Checks the host and changes nothing, by design.
  verify: ["unchanged", "unchanged"],
};

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
const argvs = (calls: Call[]) => calls.map((c) => c.argv.join(" "));
const has = (calls: Call[], ...argv: string[]) => calls.some((c) => argv.every((a, i) => c.argv[i] === a));

describe.skipIf(!available)("shell tier: every step of the full deployment on a healthy host", () => {
  const runs = new Map<string, { sb: Sandbox; step: RemoteStep; first: RunResult; second: RunResult }>();

  beforeAll(() => {
    for (const name of FULL_STEPS) {
      const step = stepNamed(r.steps, name);
      const sb = hostFor(r, name);
      const env = name === "install-openclaw" ? withNodeArchive(sb, step) : {};
      const first = sb.run(step, { env, name });
      const second = sb.run(step, { env, name });
      runs.set(name, { sb, step, first, second });
    }
  }, 120_000);
  afterAll(() => {
    for (const { sb } of runs.values()) sb.cleanup();
    console.log(
      `shell tier (steps): ${stats.steps.size} steps exercised in ${stats.runs} runs, ${stats.calls} fake calls recorded`,
    );
  });

  it("knows every rendered step, in order", () => {
    expect(r.steps.map((s) => s.name)).toEqual([...FULL_STEPS]);
  });

  describe.each(FULL_STEPS)("%s", (name) => {
    it(`exits 0 and ends "${EXPECTED[name][0]}" on a fresh HOME`, () => {
      const { first } = runs.get(name)!;
      expect(first.status, `${first.stdout}\n${first.stderr}`).toBe(0);
      expect(first.last).toBe(EXPECTED[name][0]);
      expect(first.calls.length).toBeGreaterThan(0);
    });
    it(`ends "${EXPECTED[name][1]}" when run again with the same inputs`, () => {
      const { second } = runs.get(name)!;
      expect(second.status, `${second.stdout}\n${second.stderr}`).toBe(0);
      expect(second.last).toBe(EXPECTED[name][1]);
    });
    it("puts no secret in any recorded argv, stdout or stderr", () => {
      const { first, second } = runs.get(name)!;
      expect([...leakedSecrets(first), ...leakedSecrets(second)]).toEqual([]);
    });
  });

  it("apply-openclaw-config: the patch, its secret in place, reaches openclaw on stdin only; the keys it set are recorded 0600", () => {
    const { sb, first, second } = runs.get("apply-openclaw-config")!;
    const patch = first.calls.filter((c) => has([c], "openclaw", "config", "patch"));
    expect(patch.map((c) => c.argv)).toEqual([["openclaw", "config", "patch", "--stdin"]]);
    const apiKey = (o: { models: { providers: { litellm: { apiKey: string } } } }) => o.models.providers.litellm.apiKey;
    expect(apiKey(JSON.parse(patch[0]!.stdinText!))).toBe(SENTINELS.openclawConfigSecret);
    const config = JSON.parse(readFileSync(join(sb.home, ".openclaw", "openclaw.json"), "utf8"));
    expect(apiKey(config)).toBe(SENTINELS.openclawConfigSecret);
    expect(config.messages).toEqual({ ackReaction: "👀" });
    const recorded = join(sb.home, ".openclaw", ".infra", "openclaw-config-paths.json");
    expect(JSON.parse(readFileSync(recorded, "utf8"))).toEqual([
      ["models", "providers", "litellm", "baseUrl"],
      ["models", "providers", "litellm", "apiKey"],
      ["models", "providers", "litellm", "api"],
      ["models", "providers", "litellm", "models"],
      ["messages", "ackReaction"],
    ]);
    expect(mode(recorded)).toBe("600");
    expect(readFileSync(recorded, "utf8")).not.toContain(SENTINELS.openclawConfigSecret);
    expect(second.calls.filter((c) => c.tool === "openclaw")).toEqual([]);
  });

  it("apply-openclaw-config: keys an earlier patch set where the library now owns them (Discord, moved to its argument) are kept", () => {
    const step = stepNamed(r.steps, "apply-openclaw-config");
    const sb = hostFor(r, "apply-openclaw-config");
    try {
      const configPath = join(sb.home, ".openclaw", "openclaw.json");
      // configure-discord has applied the discord argument; the last patch had set Discord itself.
      const discord = JSON.parse(stepNamed(r.steps, "configure-discord").stdin!).channels.discord;
      put(configPath, `${JSON.stringify({ channels: { discord }, messages: { ackReaction: "x" } })}\n`, 0o600);
      put(
        join(sb.home, ".openclaw", ".infra", "openclaw-config-paths.json"),
        `${JSON.stringify([
          ["channels", "discord", "enabled"],
          ["channels", "discord", "token"],
          ["messages", "ackReaction"],
        ])}\n`,
        0o600,
      );
      const res = sb.run(step, { name: step.name });
      expect(res.status, res.stderr).toBe(0);
      const config = JSON.parse(readFileSync(configPath, "utf8"));
      expect(config.channels.discord).toEqual(discord);
      expect(config.messages).toEqual({ ackReaction: "👀" });
    } finally {
      sb.cleanup();
    }
  });

  it("install-discord-plugin: installs the pinned package once; another OpenClaw version replaces it", () => {
    const { sb, step, first, second } = runs.get("install-discord-plugin")!;
    const version = step.environment.OPENCLAW_PLUGIN_VERSION!;
    const installs = (res: RunResult) =>
      res.calls.filter((c) => has([c], "openclaw", "plugins", "install")).map((c) => c.argv.slice(3));
    expect(installs(first)).toEqual([[`npm:@openclaw/discord@${version}`, "--pin"]]);
    expect(installs(second)).toEqual([]);
    const next = stepNamed(render({ ...full, openclawVersion: "2026.10.1" }).steps, "install-discord-plugin");
    const upgrade = sb.run(next, { name: "install-discord-plugin" });
    expect(upgrade.status, upgrade.stderr).toBe(0);
    expect(upgrade.last).toBe("changed");
    expect(installs(upgrade)).toEqual([["npm:@openclaw/discord@2026.10.1", "--pin", "--force"]]);

    // Disabled (by hand, or kept disabled through a reinstall): enabled again, once.
    const configPath = join(sb.home, ".openclaw", "openclaw.json");
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    put(configPath, `${JSON.stringify({ ...config, plugins: { entries: { discord: { enabled: false } } } })}\n`, 0o600);
    const enable = sb.run(next, { name: "install-discord-plugin" });
    expect(enable.last).toBe("changed");
    expect(enable.calls.filter((c) => has([c], "openclaw", "plugins", "enable")).map((c) => c.argv)).toEqual([
      ["openclaw", "plugins", "enable", "--", "discord"],
    ]);
    expect(mode(configPath)).toBe("600");
    expect(sb.run(next, { name: "install-discord-plugin" }).last).toBe("unchanged");
  });

  it("configure-discord: the token reaches openclaw on stdin only; a guild dropped from the arguments leaves the config", () => {
    const { sb, step, first } = runs.get("configure-discord")!;
    const patch = first.calls.filter((c) => has([c], "openclaw", "config", "patch"));
    expect(patch).toHaveLength(1);
    expect(JSON.parse(patch[0]!.stdinText!).channels.discord.token).toBe(SENTINELS.discordBotToken);
    const configOf = () => JSON.parse(readFileSync(join(sb.home, ".openclaw", "openclaw.json"), "utf8"));
    const [guild] = full.discord!.guilds!;
    expect(Object.keys(configOf().channels.discord.guilds)).toEqual([guild!.id]);
    // The guild keeps its place but loses its channel list; then it goes.
    for (const guilds of [[{ id: guild!.id }], []]) {
      const next = stepNamed(render({ ...full, discord: { ...full.discord!, guilds } }).steps, "configure-discord");
      const res = sb.run(next, { name: "configure-discord" });
      expect(res.status, res.stderr).toBe(0);
      expect(res.last).toBe("changed");
      expect(leakedSecrets(res)).toEqual([]);
      const discord = configOf().channels.discord;
      if (guilds.length > 0)
        expect(discord.guilds).toEqual({ [guild!.id]: { requireMention: true, users: full.discord!.userIds } });
      else expect(discord).not.toHaveProperty("guilds");
      expect(discord.groupPolicy).toBe(guilds.length > 0 ? "allowlist" : "disabled");
      expect(sb.run(next, { name: "configure-discord" }).last).toBe("unchanged");
    }
    expect(step.environment.OPENCLAW_CHANNEL_REPLACED).toBe('["guilds"]');
  });

  it("configure-gateway: the setup token and the config patch reach openclaw on stdin only; files are private", () => {
    const { sb, step, first, second } = runs.get("configure-gateway")!;
    const [tokenLine, keysLine, ...rest] = step.stdin!.split("\n");
    expect(tokenLine).toBe(SENTINELS.claudeSetupToken);
    expect(keysLine).toBe("{}");
    const paste = first.calls.filter((c) => has([c], "openclaw", "models", "auth", "paste-token"));
    expect(paste.map((c) => c.argv)).toEqual([
      ["openclaw", "models", "auth", "paste-token", "--provider", "anthropic"],
    ]);
    expect(paste[0]!.stdin).toBe(true);
    expect(paste[0]!.stdinText).toBe(`${SENTINELS.claudeSetupToken}\n`);
    const patch = first.calls.filter((c) => has([c], "openclaw", "config", "patch"));
    expect(patch.map((c) => c.argv)).toEqual([["openclaw", "config", "patch", "--stdin"]]);
    // The step reads the patch with $(cat), which drops trailing newlines; printf adds one.
    expect(patch[0]!.stdinText).toBe(`${rest.join("\n").replace(/\n+$/, "")}\n`);
    expect(patch[0]!.stdinText).toContain(RENDER_SECRETS.gatewayToken);
    const config = join(sb.home, ".openclaw", "openclaw.json");
    expect(JSON.parse(readFileSync(config, "utf8")).gateway.auth.token).toBe(RENDER_SECRETS.gatewayToken);
    expect(mode(config)).toBe("600");
    expect(mode(join(sb.home, ".openclaw"))).toBe("700");
    // Before start-gateway the service is not running: checked, not restarted.
    expect(argvs(first.calls).filter((a) => a.startsWith("systemctl"))).toEqual([
      "systemctl --user is-active --quiet openclaw-gateway.service",
    ]);
    // Second run: markers match, openclaw is not called at all.
    expect(second.calls.filter((c) => c.tool === "openclaw")).toEqual([]);
  });

  it("start-gateway: installs the unit, enables, starts and waits; the second run only checks", () => {
    const { sb, step, first, second } = runs.get("start-gateway")!;
    const unit = join(sb.home, ".config", "systemd", "user", "openclaw-gateway.service");
    expect(readFileSync(unit, "utf8")).toBe(`${step.environment.OPENCLAW_GATEWAY_UNIT}\n`);
    expect(mode(unit)).toBe("644");
    expect(argvs(first.calls).filter((a) => a.startsWith("systemctl"))).toEqual([
      "systemctl --user daemon-reload",
      "systemctl --user is-enabled --quiet openclaw-gateway.service",
      "systemctl --user enable openclaw-gateway.service",
      "systemctl --user restart openclaw-gateway.service",
    ]);
    expect(has(first.calls, "curl", "-fs", "-o", "/dev/null", "--max-time", "5", "http://127.0.0.1:18789/readyz")).toBe(
      true,
    );
    expect(argvs(second.calls).filter((a) => /daemon-reload|enable |restart/.test(a))).toEqual([]);
    expect(has(second.calls, "curl")).toBe(true);
  });

  it("install-openclaw: Node and openclaw land in versioned directories under /opt/openclaw, linked into /usr/local/bin", () => {
    const { sb, step, second } = runs.get("install-openclaw")!;
    const v = step.environment.OPENCLAW_VERSION!;
    const nv = step.environment.OPENCLAW_NODE_VERSION!;
    expect(existsSync(sb.hostPath(`/opt/openclaw/node-v${nv}/bin/node`))).toBe(true);
    expect(existsSync(sb.hostPath(`/opt/openclaw/openclaw-${v}/bin/openclaw`))).toBe(true);
    expect(existsSync(sb.hostPath(`/opt/openclaw/openclaw-${v}.partial`))).toBe(false);
    // The second run downloads and installs nothing.
    expect(second.calls.filter((c) => c.tool === "curl" || c.tool === "npm")).toEqual([]);
  });

  it("install-docker: installs docker.io, adds the group, installs the metadata block as root files", () => {
    const { sb, step, first } = runs.get("install-docker")!;
    expect(argvs(first.calls)).toEqual(
      expect.arrayContaining([
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q docker.io",
        `sudo usermod -aG docker ${first.calls.find((c) => c.tool === "usermod")!.argv[3]}`,
        "sudo systemctl enable --now docker.service",
        "sudo systemctl restart openclaw-metadata-block.service",
        "sudo iptables -w -C DOCKER-USER -d 169.254.169.254/32 -j REJECT --reject-with icmp-port-unreachable",
      ]),
    );
    const script = sb.hostPath("/usr/local/lib/openclaw-infra/block-metadata.sh");
    expect(readFileSync(script, "utf8")).toBe(`${step.environment.OPENCLAW_BLOCK_SCRIPT}\n`);
    expect(mode(script)).toBe("755");
    expect(readFileSync(sb.hostPath("/etc/systemd/system/openclaw-metadata-block.service"), "utf8")).toBe(
      `${step.environment.OPENCLAW_BLOCK_UNIT}\n`,
    );
  });

  it("sync-schedules: adds the four default jobs on a fresh gateway and keeps them on the second run", () => {
    const { first, second } = runs.get("sync-schedules")!;
    const adds = first.calls.filter((c) => has([c], "openclaw", "cron", "add"));
    expect(adds.map((c) => c.argv[c.argv.indexOf("--declaration-key") + 1])).toEqual(r.schedules.map((j) => j.key));
    expect(first.stdout).toContain("schedules: 4 added, 0 updated, 0 removed, 0 unchanged");
    expect(second.stdout).toContain("schedules: 0 added, 0 updated, 0 removed, 4 unchanged");
  });

  it("setup-workspace: the deploy key arrives on stdin and is written 0600; the repository is configured once", () => {
    const { sb, step, first, second } = runs.get("setup-workspace")!;
    const key = join(sb.home, ".ssh", "openclaw_workspace_ed25519");
    expect(readFileSync(key, "utf8")).toBe(RENDER_SECRETS.deployPrivateKey);
    expect(mode(key)).toBe("600");
    expect(readFileSync(join(sb.home, ".ssh", "config"), "utf8").split("\n")[0]).toBe("Include config.d/*.conf");
    const ws = join(sb.home, ".openclaw", "workspace");
    const repo = join(sb.home, step.environment.OPENCLAW_WORKSPACE_GIT_DIR!);
    expect(readFileSync(join(ws, ".gitignore"), "utf8")).toBe(`${step.environment.OPENCLAW_WORKSPACE_GITIGNORE}\n`);
    expect(argvs(first.calls)).toEqual(
      expect.arrayContaining([
        `git --git-dir=${repo} --work-tree=${ws} init --quiet --initial-branch=main`,
        `git --git-dir=${repo} --work-tree=${ws} remote add origin ${step.environment.OPENCLAW_WORKSPACE_REMOTE}`,
      ]),
    );
    expect(
      argvs(second.calls).filter(
        (a) => / init | remote add | remote set-url /.test(a) || /config user\.\w+ \S/.test(a),
      ),
    ).toEqual([]);
  });

  it("verify: every check passes on a healthy host; the report is one JSON line", () => {
    const { first } = runs.get("verify")!;
    const report = first.stdout.split("\n").find((l) => l.startsWith('{"host":'));
    expect(report, first.stdout).toBeDefined();
    const parsed = JSON.parse(report!) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(parsed.checks.filter((c) => !c.ok)).toEqual([]);
    expect(parsed.ok).toBe(true);
    expect(parsed.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        "tailnet",
        "tailnet name",
        "magicdns https",
        "tailscale serve",
        "node version",
        "openclaw health",
        "telegram channel",
        "model credentials",
        "firewall",
        "gateway on loopback",
        "readyz",
        "config permissions",
        "sandbox image",
        "schedules",
        "workspace sync timer",
      ]),
    );
  });

  it("install-sync-timer: installs program and units, enables the timer, runs a best-effort first sync", () => {
    const { sb, step, first, second } = runs.get("install-sync-timer")!;
    const program = join(sb.home, ".local", "lib", "openclaw-infra", "workspace-sync.sh");
    expect(readFileSync(program, "utf8")).toBe(`${step.environment.OPENCLAW_SYNC_SCRIPT}\n`);
    expect(mode(program)).toBe("755");
    expect(argvs(first.calls)).toEqual(
      expect.arrayContaining([
        "systemctl --user daemon-reload",
        "systemctl --user enable --now openclaw-workspace-sync.timer",
      ]),
    );
    // No workspace on a fresh HOME: the first sync fails and the step says what to do.
    expect(first.stdout).toContain("the first sync did not push");
    expect(argvs(second.calls).filter((a) => /daemon-reload| enable | restart /.test(a))).toEqual([]);
  });
});

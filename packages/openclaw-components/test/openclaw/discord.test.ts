/**
 * Real-OpenClaw tier, Discord: the shipped configure-discord step applies the
 * channel's part with the pinned OpenClaw's own `config patch`, converges,
 * and takes a guild (or a guild's channel list) dropped from the arguments
 * out of the live config, which `config patch` alone would keep (it merges
 * maps key by key). remove-discord then takes the part out again.
 *
 * Every process here runs in a network namespace of its own with no link up:
 * nothing may leave this machine. The plugin itself (`@openclaw/discord`,
 * installed by install-discord-plugin from npm) is not installed here: the
 * config part is checked against the pinned OpenClaw's schema, which knows
 * Discord's keys without it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DISCORD_REMOVAL, renderDiscordSteps } from "../../src/discord/steps.js";
import { OFFICIAL_PLUGINS } from "../../src/remote/plugin.js";
import { DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";
import type { DiscordConfigSettings } from "../../src/discord/discord-config.js";
import type { RemoteStep } from "../../src/remote/step.js";
import {
  DEFAULT_GATEWAY,
  DEFAULT_SANDBOX,
  DISCORD_BOT_TOKEN,
  DISCORD_SETTINGS,
  fullCombination,
  renderCombination,
} from "./combinations.js";
import {
  deepMerge,
  isolate,
  OFFLINE,
  phase,
  preparePlugin,
  parseJson,
  requireOpenclaw,
  runProcess,
  runStepOffline,
  type Isolation,
  type RunResult,
} from "./harness.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const TIER = "the real-OpenClaw tier (Discord)";
/** The bot's user id: Discord's tokens start with it in base64, and the plugin reads it from there. */
const BOT_ID = Buffer.from(DISCORD_BOT_TOKEN.split(".")[0]!, "base64").toString("utf8");
const prepared = requireOpenclaw(TIER);
const binDir = prepared.ok ? prepared.binDir : "";

function describeRun(r: RunResult): string {
  return `exit ${r.status}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`;
}

/** The value at a dot path of a JSON object. */
function at(o: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
}

describe.skipIf(!prepared.ok)(`${TIER}: OpenClaw ${prepared.ok ? prepared.version : ""}`, () => {
  const isolations: Isolation[] = [];
  afterAll(() => {
    for (const iso of isolations) iso.cleanup();
  }, 60_000);

  async function run(iso: Isolation, step: RemoteStep, label: string): Promise<RunResult> {
    const r = await runStepOffline(iso, step, label);
    for (const text of [r.stdout, r.stderr]) expect(text).not.toContain(DISCORD_BOT_TOKEN);
    return r;
  }
  const configure = (s: DiscordConfigSettings) =>
    renderDiscordSteps({ ...s, port: 18789, pluginVersion: "2026.9.6" }, { botToken: DISCORD_BOT_TOKEN })
      .configureDiscord;
  const lastLine = (r: RunResult) => r.stdout.trimEnd().split("\n").at(-1);
  async function valid(iso: Isolation): Promise<void> {
    const v = await runProcess("unshare", [...OFFLINE, "--", "openclaw", "config", "validate", "--json"], {
      env: iso.env,
      timeoutMs: 120_000,
    });
    expect(v.status, describeRun(v)).toBe(0);
    const json = parseJson<{ valid: boolean; warnings?: unknown[] }>(v);
    expect(json.valid).toBe(true);
    expect(json.warnings ?? []).toEqual([]);
  }

  it("applies the part beside Telegram's, converges, and drops a guild's channel list, then the guild", async () => {
    const iso = isolate(binDir, "discord");
    isolations.push(iso);
    iso.writeConfig(renderCombination(fullCombination("http://127.0.0.1:9")).config);

    const first = await run(iso, configure(DISCORD_SETTINGS), "DMs and one guild");
    expect(first.status, describeRun(first)).toBe(0);
    expect(lastLine(first)).toBe("changed");
    let config = iso.readConfig();
    expect(at(config, "channels.discord")).toEqual({
      enabled: true,
      token: DISCORD_BOT_TOKEN,
      allowFrom: ["123456789012345678"],
      dmPolicy: "allowlist",
      groupPolicy: "allowlist",
      guilds: {
        "223456789012345678": {
          requireMention: true,
          users: ["123456789012345678"],
          channels: { "323456789012345678": { enabled: true } },
        },
      },
    });
    expect(at(config, "channels.telegram.dmPolicy"), "Telegram's part is untouched").toBe("allowlist");
    await valid(iso);
    const again = await run(iso, configure(DISCORD_SETTINGS), "again");
    expect(lastLine(again)).toBe("unchanged");

    const [guild] = DISCORD_SETTINGS.guilds;
    const open = await run(iso, configure({ ...DISCORD_SETTINGS, guilds: [{ ...guild!, channels: [] }] }), "no list");
    expect(open.status, describeRun(open)).toBe(0);
    expect(lastLine(open)).toBe("changed");
    config = iso.readConfig();
    expect(at(config, "channels.discord.guilds")).toEqual({
      "223456789012345678": { requireMention: true, users: ["123456789012345678"] },
    });

    const dmsOnly = await run(iso, configure({ ...DISCORD_SETTINGS, guilds: [] }), "DMs only");
    expect(dmsOnly.status, describeRun(dmsOnly)).toBe(0);
    config = iso.readConfig();
    expect(at(config, "channels.discord.guilds")).toBeUndefined();
    expect(at(config, "channels.discord.groupPolicy")).toBe("disabled");
    await valid(iso);
    expect(lastLine(await run(iso, configure({ ...DISCORD_SETTINGS, guilds: [] }), "settled"))).toBe("unchanged");

    // Switched off: the part goes (the plugin is not installed here, so there is none to uninstall).
    const { removeDiscord } = DISCORD_REMOVAL.render({ port: 18789 }, {});
    const removed = await run(iso, removeDiscord, "off");
    expect(removed.status, describeRun(removed)).toBe(0);
    expect(lastLine(removed)).toBe("changed");
    config = iso.readConfig();
    expect(at(config, "channels.discord")).toBeUndefined();
    expect(at(config, "channels.telegram.dmPolicy")).toBe("allowlist");
    expect(lastLine(await run(iso, removeDiscord, "off again"))).toBe("unchanged");
    await valid(iso);
  }, 600_000);

  /** A test CA, and a certificate from it for the two hosts the plugin dials. */
  function testCertificates(dir: string): { ca: string; cert: string; key: string } {
    mkdirSync(dir, { recursive: true });
    const f = (name: string) => join(dir, name);
    const openssl = (...args: string[]) => {
      const r = spawnSync("openssl", args, { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
    };
    const key = ["-newkey", "rsa:2048", "-nodes", "-days", "2"];
    openssl("req", "-x509", ...key, "-keyout", f("ca.key"), "-out", f("ca.pem"), "-subj", "/CN=openclaw tier test CA");
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      f("key.pem"),
      "-out",
      f("leaf.csr"),
      "-subj",
      "/CN=discord.com",
    );
    writeFileSync(
      f("leaf.ext"),
      "subjectAltName=DNS:discord.com,DNS:gateway.discord.gg\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    );
    openssl(
      ...["x509", "-req", "-in", f("leaf.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial"],
      ...["-out", f("cert.pem"), "-days", "2", "-extfile", f("leaf.ext")],
    );
    return { ca: f("ca.pem"), cert: f("cert.pem"), key: f("key.pem") };
  }

  it("a real gateway starts with the part and the pinned plugin, and its Discord channel connects through the proxy to a stand-in for Discord", async () => {
    const plugin = preparePlugin(binDir, OFFICIAL_PLUGINS.discord.npmPackage, DEFAULT_OPENCLAW_VERSION);
    expect(plugin.ok, plugin.ok ? "" : plugin.reason).toBe(true);
    if (!plugin.ok) return;
    const iso = isolate(binDir, "discord-gateway");
    isolations.push(iso);
    // The plugin as install-discord-plugin leaves it: its files, its install record, its entry in the config.
    cpSync(plugin.stateDir, iso.stateDir, { recursive: true });
    const installed = JSON.parse(readFileSync(join(plugin.stateDir, "openclaw.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const port = 18789;
    const proxyPort = 18899;
    const { config } = renderCombination({
      name: "discord gateway",
      gateway: { ...DEFAULT_GATEWAY, port },
      sandbox: DEFAULT_SANDBOX,
      discord: DISCORD_SETTINGS,
    });
    // The test-only key: Discord's own redirect, which carries the plugin's REST calls and its gateway WebSocket.
    iso.writeConfig(
      deepMerge(deepMerge(installed, config), { channels: { discord: { proxy: `http://127.0.0.1:${proxyPort}` } } }),
    );
    const tls = testCertificates(join(iso.root, "tls"));

    const run = await runProcess(
      "unshare",
      [
        ...OFFLINE,
        "--",
        "bash",
        join(HERE, "discord-gateway.sh"),
        join(HERE, "..", "lib", "fake-discord.mjs"),
        String(port),
        String(proxyPort),
        tls.cert,
        tls.key,
        BOT_ID,
        iso.root,
      ],
      { env: { ...iso.env, NODE_EXTRA_CA_CERTS: tls.ca }, timeoutMs: 300_000 },
    );
    const gatewayOut = readFileSync(join(iso.root, "gateway.out"), "utf8");
    const fake = readFileSync(join(iso.root, "fake-discord.log"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const why = `${describeRun(run)}\ngateway: ${gatewayOut.slice(-3000)}`;
    expect(run.status, why).toBe(0);
    const ready = /^READY (\d+)$/m.exec(run.stdout);
    phase("discord: gateway ready", Number(ready?.[1] ?? NaN) * 1000);
    const health = JSON.parse(/^HEALTH (.*)$/m.exec(run.stdout)?.[1] ?? "null") as {
      channels?: Record<string, Record<string, unknown>>;
    } | null;
    expect(health?.channels?.discord, why).toMatchObject({
      configured: true,
      running: true,
      connected: true,
      lastError: null,
    });
    // What the plugin did, as the stand-in saw it: the two hosts only, the token on each REST call, an IDENTIFY.
    expect(fake.filter((e) => e.kind === "refused")).toEqual([]);
    expect(new Set(fake.filter((e) => e.kind === "connect").map((e) => e.target))).toEqual(
      new Set(["discord.com:443", "gateway.discord.gg:443"]),
    );
    const calls = fake.filter((e) => e.kind === "rest");
    expect(calls.map((e) => e.path)).toContain("/gateway/bot");
    expect(calls.every((e) => e.auth === true)).toBe(true);
    expect(fake.some((e) => e.kind === "gateway" && e.op === 2)).toBe(true);
    for (const text of [run.stdout, run.stderr, gatewayOut]) expect(text).not.toContain(DISCORD_BOT_TOKEN);

    // The plugin loaded is the pinned one.
    const list = await runProcess("unshare", [...OFFLINE, "--", "openclaw", "plugins", "list", "--json"], {
      env: iso.env,
      timeoutMs: 120_000,
    });
    const discord = parseJson<{ plugins: Array<{ id: string; version: string; origin: string }> }>(list).plugins.find(
      (p) => p.id === "discord",
    );
    expect(discord).toMatchObject({ version: DEFAULT_OPENCLAW_VERSION, origin: "global" });
  }, 600_000);
});

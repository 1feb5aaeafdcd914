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
import { join } from "node:path";
import { DISCORD_REMOVAL, renderDiscordSteps } from "../../src/discord/steps.js";
import { OFFICIAL_PLUGINS } from "../../src/remote/plugin.js";
import { DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";
import type { DiscordConfigSettings } from "../../src/discord/discord-config.js";
import type { RemoteStep } from "../../src/remote/step.js";
import {
  DISCORD_BOT_TOKEN,
  DISCORD_SETTINGS,
  fullCombination,
  renderCombination,
  syncStepDeliveringTo,
  channelGatewaySetup,
  CHANNEL_GATEWAY_PORT,
} from "./combinations.js";
import {
  deepMerge,
  isolate,
  requireOpenclaw,
  runChannelGateway,
  runStepOffline,
  testCertificates,
  type Isolation,
  type RunResult,
  describeRun,
  lastLine,
  expectConfigValid,
} from "./harness.js";

const TIER = "the real-OpenClaw tier (Discord)";
/** The bot's user id: Discord's tokens start with it in base64, and the plugin reads it from there. */
const BOT_ID = Buffer.from(DISCORD_BOT_TOKEN.split(".")[0]!, "base64").toString("utf8");
const prepared = requireOpenclaw(TIER);
const binDir = prepared.ok ? prepared.binDir : "";

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
    await expectConfigValid(iso);
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
    await expectConfigValid(iso);
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
    await expectConfigValid(iso);
  }, 600_000);

  it("a real gateway starts with the part and the pinned plugin, and its Discord channel connects through the proxy to a stand-in for Discord", async () => {
    const setup = channelGatewaySetup(binDir, OFFICIAL_PLUGINS.discord, { discord: DISCORD_SETTINGS }, isolations);
    expect(setup.ok, setup.ok ? "" : setup.reason).toBe(true);
    if (!setup.ok) return;
    const { iso, config } = setup;
    const port = CHANNEL_GATEWAY_PORT;
    const proxyPort = 18899;
    const tls = testCertificates(join(iso.root, "tls"), ["DNS:discord.com", "DNS:gateway.discord.gg"]);
    const r = await runChannelGateway({
      iso,
      channel: "discord",
      pluginStateDir: setup.pluginStateDir,
      // The test-only key: Discord's own redirect, which carries the plugin's REST calls and its gateway WebSocket.
      config: deepMerge(config, { channels: { discord: { proxy: `http://127.0.0.1:${proxyPort}` } } }),
      port,
      fake: "fake-discord.mjs",
      fakeArgs: [String(proxyPort), tls.cert, tls.key, BOT_ID],
      // A scheduled job announced on this channel, synced as a host syncs it, while the channel is up.
      then: syncStepDeliveringTo("discord", "user:123456789012345678", port),
      env: { NODE_EXTRA_CA_CERTS: tls.ca },
    });
    expect(r.run.status, r.why).toBe(0);
    expect(r.health?.channels?.discord, r.why).toMatchObject({
      configured: true,
      running: true,
      connected: true,
      lastError: null,
    });
    // What the plugin did, as the stand-in saw it: the two hosts only, the token on each REST call, an IDENTIFY.
    const fake = r.events;
    expect(fake.filter((e) => e.kind === "refused")).toEqual([]);
    expect(new Set(fake.filter((e) => e.kind === "connect").map((e) => e.target))).toEqual(
      new Set(["discord.com:443", "gateway.discord.gg:443"]),
    );
    const calls = fake.filter((e) => e.kind === "rest");
    expect(calls.map((e) => e.path)).toContain("/gateway/bot");
    expect(calls.every((e) => e.auth === true)).toBe(true);
    expect(fake.some((e) => e.kind === "gateway" && e.op === 2)).toBe(true);
    for (const text of [r.run.stdout, r.run.stderr, r.gatewayOut]) expect(text).not.toContain(DISCORD_BOT_TOKEN);
    // The pinned OpenClaw takes a job announced on this channel, stored as the sync step declared it.
    expect(r.then?.status, r.then?.out).toBe(0);
    const jobs = (r.then?.jobs as { jobs?: Array<{ name: string; delivery?: unknown }> } | null)?.jobs ?? [];
    expect(jobs.find((j) => j.name === "Digest to discord")?.delivery, JSON.stringify(jobs)).toEqual({
      mode: "announce",
      channel: "discord",
      to: "user:123456789012345678",
    });
    // The plugin loaded is the pinned one.
    expect(r.plugin).toMatchObject({ version: DEFAULT_OPENCLAW_VERSION, origin: "global" });
  }, 600_000);
});

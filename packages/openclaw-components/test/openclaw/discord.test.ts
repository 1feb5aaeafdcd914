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
import { DISCORD_REMOVAL, renderDiscordSteps } from "../../src/discord/steps.js";
import type { DiscordConfigSettings } from "../../src/discord/discord-config.js";
import type { RemoteStep } from "../../src/remote/step.js";
import { DISCORD_BOT_TOKEN, DISCORD_SETTINGS, fullCombination, renderCombination } from "./combinations.js";
import {
  isolate,
  OFFLINE,
  parseJson,
  requireOpenclaw,
  runProcess,
  runStepOffline,
  type Isolation,
  type RunResult,
} from "./harness.js";

const TIER = "the real-OpenClaw tier (Discord)";
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
});

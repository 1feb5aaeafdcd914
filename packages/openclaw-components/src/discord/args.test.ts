import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { DISCORD, RENDER_SECRETS, SENTINELS, base } from "../../test/fixtures.js";
import { renderDeployment } from "../render.js";
import { ArgValidator } from "../validate/validator.js";
import { resolveDiscordArgs, type DiscordOptions } from "./args.js";
import { renderDiscordConfig } from "./discord-config.js";
import { DISCORD_REMOVAL, DISCORD_SECRET_PLACEHOLDERS, renderDiscordSteps } from "./steps.js";

const USER = "123456789012345678";
const GUILD = "223456789012345678";
const CHANNEL = "323456789012345678";

function problems(o: DiscordOptions): string[] {
  const v = new ArgValidator("OpenClawDeployment");
  resolveDiscordArgs({ ...o, botToken: o.botToken ?? SENTINELS.discordBotToken }, v, "discord.");
  try {
    v.throwIfInvalid();
    return [];
  } catch (e) {
    return (e as Error).message.split("\n").slice(1);
  }
}

describe("discord: the config part", () => {
  it("allows DMs from the listed users only, and no guild when none is listed", () => {
    expect(renderDiscordConfig({ userIds: [USER], guilds: [] }, { botToken: "t" })).toEqual({
      channels: {
        discord: { enabled: true, token: "t", allowFrom: [USER], dmPolicy: "allowlist", groupPolicy: "disabled" },
      },
    });
  });

  it("allows a listed guild to the same users, its channel map an allowlist when channels are listed", () => {
    const c = renderDiscordConfig(
      {
        userIds: [USER],
        guilds: [
          { id: GUILD, channels: [CHANNEL], requireMention: true },
          { id: "423456789012345678", channels: [], requireMention: false },
        ],
      },
      { botToken: "t" },
    ) as { channels: { discord: Record<string, unknown> } };
    expect(c.channels.discord.groupPolicy).toBe("allowlist");
    expect(c.channels.discord.guilds).toEqual({
      [GUILD]: { requireMention: true, users: [USER], channels: { [CHANNEL]: { enabled: true } } },
      "423456789012345678": { requireMention: false, users: [USER] },
    });
  });
});

describe("discord: its steps", () => {
  const settings = { userIds: [USER], guilds: [], port: 18789, pluginVersion: "2026.9.6" };

  it("installs the plugin at OpenClaw's version, then applies the part with the token on stdin only", () => {
    const real = renderDiscordSteps(settings, { botToken: SENTINELS.discordBotToken });
    expect(real.installDiscordPlugin.environment).toEqual({
      OPENCLAW_PLUGIN_ID: "discord",
      OPENCLAW_PLUGIN_PACKAGE: "@openclaw/discord",
      OPENCLAW_PLUGIN_VERSION: "2026.9.6",
      OPENCLAW_GATEWAY_PORT: "18789",
    });
    expect(real.configureDiscord.secret).toBe(true);
    expect(real.configureDiscord.environment).toMatchObject({
      OPENCLAW_CHANNEL: "discord",
      OPENCLAW_CHANNEL_REPLACED: '["guilds"]',
    });
    expect(JSON.parse(real.configureDiscord.stdin!).channels.discord.token).toBe(SENTINELS.discordBotToken);
    for (const step of Object.values(real))
      expect(step.command + JSON.stringify(step.environment)).not.toContain(SENTINELS.discordBotToken);
    const shown = renderDiscordSteps(settings, DISCORD_SECRET_PLACEHOLDERS);
    expect(JSON.parse(shown.configureDiscord.stdin!).channels.discord.token).toBe("<secret:discord.botToken>");
  });

  it("switched off, removes the config part, then uninstalls the plugin", () => {
    const { removeDiscord } = DISCORD_REMOVAL.render({ port: 18789 }, {});
    expect(removeDiscord.name).toBe("remove-discord");
    expect(removeDiscord.environment).toMatchObject({
      OPENCLAW_REMOVE_CONFIG_PATHS: '["channels.discord"]',
      OPENCLAW_REMOVE_PLUGINS: '["discord"]',
      OPENCLAW_REMOVE_MARKERS: '["config-discord"]',
    });
  });

  it("leaves the other removals' steps as they were: no plugin list where there is no plugin", () => {
    const steps = renderDeployment(base, RENDER_SECRETS).steps.filter((s) => s.name.startsWith("remove-"));
    const pluginChannels = ["remove-discord", "remove-slack", "remove-whatsapp"];
    expect(steps.map((s) => s.name)).toEqual(expect.arrayContaining(pluginChannels));
    for (const s of steps.filter((x) => !pluginChannels.includes(x.name)))
      expect(s.environment, s.name).not.toHaveProperty("OPENCLAW_REMOVE_PLUGINS");
  });
});

describe("discord: refused at construction, naming the argument, never echoing the token", () => {
  it("accepts what a user writes, and ids from 17 digits to 2^64 - 1", () => {
    expect(problems(DISCORD)).toEqual([]);
    expect(problems({ userIds: ["10000000000000000", "18446744073709551615"] })).toEqual([]);
  });

  it.each<[string, DiscordOptions, RegExp]>([
    ["no user", { userIds: [] }, /discord\.userIds: is empty/],
    [
      "an id as a number",
      // A number past 2^53, as a stack would pass one: it has already lost its last digits.
      { userIds: [Number("123456789012345678") as never] },
      /discord\.userIds\[0\]: 123456789012345680 is a number, and Discord ids are larger than 2\^53/,
    ],
    ["a user name", { userIds: ["@me"] }, /discord\.userIds\[0\]: "@me" is not a Discord user id/],
    [
      "16 digits",
      { userIds: ["1234567890123456"] },
      /discord\.userIds\[0\]: "1234567890123456" is not a Discord user id/,
    ],
    [
      "past 64 bits",
      { userIds: ["18446744073709551616"] },
      /discord\.userIds\[0\]: "18446744073709551616" is not a Discord user id/,
    ],
    ["an id twice", { userIds: [USER, USER] }, /discord\.userIds\[1\]: .*repeats an id listed before it/],
    ["an Output for the list", { userIds: pulumi.output([USER]) as never }, /discord\.userIds: is an Output/],
    [
      "a guild without an id",
      { userIds: [USER], guilds: [{} as never] },
      /discord\.guilds\[0\]\.id: .*is not a Discord server id/,
    ],
    [
      "a guild twice",
      { userIds: [USER], guilds: [{ id: GUILD }, { id: GUILD }] },
      /discord\.guilds\[1\]\.id: is the id of a guild listed before it/,
    ],
    [
      "a channel by name",
      { userIds: [USER], guilds: [{ id: GUILD, channels: ["general"] }] },
      /discord\.guilds\[0\]\.channels\[0\]: "general" is not a Discord channel id/,
    ],
    [
      "an unknown key in a guild",
      { userIds: [USER], guilds: [{ id: GUILD, users: [USER] } as never] },
      /discord\.guilds\[0\]\.users: is not an argument this library knows/,
    ],
    [
      "requireMention as text",
      { userIds: [USER], guilds: [{ id: GUILD, requireMention: "no" as never }] },
      /discord\.guilds\[0\]\.requireMention: is not a boolean/,
    ],
  ])("%s", (_label, o, message) => expect(problems(o).join("\n")).toMatch(message));

  it("a token of another shape, without echoing it", () => {
    const token = "SENTINELnotADiscordToken";
    const p = problems({ ...DISCORD, botToken: token }).join("\n");
    expect(p).toMatch(/discord\.botToken: the value is not a Discord bot token/);
    expect(p).not.toContain(token);
  });

  it("an unknown key in the block, and channels.discord in openclawConfig", () => {
    expect(() =>
      renderDeployment({ ...base, discord: { ...DISCORD, dmPolicy: "open" } as never }, RENDER_SECRETS),
    ).toThrow(/discord\.dmPolicy: is not an argument this library knows/);
    expect(() =>
      renderDeployment(
        { ...base, openclawConfig: { patch: { channels: { discord: { dmPolicy: "open" } } } } },
        RENDER_SECRETS,
      ),
    ).toThrow(/openclawConfig\.patch\.channels\.discord: is channels\.discord, which is set by the discord argument/);
  });
});

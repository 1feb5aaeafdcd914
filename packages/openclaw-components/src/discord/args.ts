import type * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import type { GatewayFacts } from "../gateway/args.js";
import type { Gateway } from "../gateway/gateway.js";
import { argKeys } from "../validate/known-keys.js";
import { DISCORD_ID, whole } from "../validate/chat-ids.js";
import { plainBoolean, plainEntryList, plainIdList } from "../validate/id-list.js";
import type { Rule } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";
import type { DiscordGuildSettings } from "./discord-config.js";
import type { DiscordSettings } from "./steps.js";

/** One Discord server (guild) the bot answers in. */
export interface DiscordGuildOptions {
  /** The guild's id (Developer Mode → right-click the server → Copy Server ID), as a string of digits. */
  id: string;
  /**
   * The only channels (ids, as strings) the bot answers in; any other channel of the guild is denied.
   * @default unset: every channel of the guild the bot can see
   */
  channels?: string[];
  /**
   * Answer in the guild only when the bot is mentioned.
   * @default true
   */
  requireMention?: boolean;
}

/** The `discord` block of `OpenClawDeploymentArgs`. */
export interface DiscordOptions {
  /**
   * Bot token from the Discord Developer Portal (Bot → Reset Token), secret.
   * Reaches the host on stdin only. `OpenClawDeployment` sets Discord up only
   * when it is given (so `cfg.getSecret("discordBotToken")` can switch it off).
   */
  botToken?: pulumi.Input<string>;
  /**
   * Discord user ids (Developer Mode → right-click yourself → Copy User ID),
   * as strings of digits: the only senders the bot accepts, in DMs and in guilds.
   */
  userIds: string[];
  /**
   * Servers the bot answers in, besides DMs (it must be invited to each).
   * @default unset: DMs only
   */
  guilds?: DiscordGuildOptions[];
}

export interface DiscordChannelArgs extends DiscordOptions {
  /** Bot token from the Discord Developer Portal (secret). Reaches the host on stdin only. */
  botToken: pulumi.Input<string>;
  /**
   * Overrides the address this component's step connects to.
   * @default the gateway's connection host
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * Resources this component's step waits for, e.g. another component's last
   * step so that restarts of the gateway never overlap.
   * @default the gateway's last step
   */
  runAfter?: pulumi.Resource[];
  /** The gateway the channel belongs to. */
  gateway: Gateway;
}

export const DISCORD_KEYS = argKeys<DiscordOptions>({ botToken: true, userIds: true, guilds: true });
/** Every key of `DiscordChannelArgs`, for the component used on its own. */
export const DISCORD_CHANNEL_KEYS = argKeys<DiscordChannelArgs>({
  botToken: true,
  userIds: true,
  guilds: true,
  connectionHost: true,
  runAfter: true,
  gateway: true,
});
const GUILD_KEYS = argKeys<DiscordGuildOptions>({ id: true, channels: true, requireMention: true });

/** Limits that keep the config part and its step's stdin small. */
const MAX_USERS = 100;
const MAX_GUILDS = 50;
const MAX_CHANNELS = 100;
const EXAMPLE = '["123456789012345678"]';

// Discord's ids are snowflakes: 64-bit, 17 to 20 decimal digits today.
const snowflake =
  (what: string, where: string): Rule<unknown> =>
  (v) => {
    if (typeof v === "number")
      return {
        problem: "is a number, and Discord ids are larger than 2^53: it may already have changed",
        expected: `the ${what} id as a string of digits, e.g. "123456789012345678"`,
      };
    // 64 bits at most: a 20-digit number can be larger.
    return typeof v === "string" && whole(DISCORD_ID).test(v) && BigInt(v) < 2n ** 64n
      ? undefined
      : {
          problem: `is not a Discord ${what} id`,
          expected: `a string of 17 to 20 digits (${where})`,
        };
  };
const userId = snowflake("user", "Developer Mode → right-click the user → Copy User ID");
const guildId = snowflake("server", "Developer Mode → right-click the server → Copy Server ID");
const channelId = snowflake("channel", "Developer Mode → right-click the channel → Copy Channel ID");

const botToken: Rule<string> = (v) =>
  /^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$/.test(v)
    ? undefined
    : {
        problem: "is not a Discord bot token",
        expected: "the token from the Developer Portal (Bot → Reset Token): three parts joined by dots",
      };

/**
 * Checks Discord's arguments into `v` (paths under `prefix`) and fills in
 * defaults. The ids and guilds must be plain values: they shape the config
 * (an allowlist that cannot be read now must never render as "nobody").
 */
export function resolveDiscordArgs(
  args: DiscordOptions & { botToken: pulumi.Input<string> },
  v: ArgValidator,
  prefix = "",
) {
  const userIds = plainIdList(args.userIds, `${prefix}userIds`, userId, v, {
    required: true,
    max: MAX_USERS,
    example: EXAMPLE,
  });
  const guilds = plainEntryList<DiscordGuildSettings>(args.guilds ?? [], `${prefix}guilds`, v, {
    what: "guild",
    max: MAX_GUILDS,
    example: '{ id: "123456789012345678", channels?: [...], requireMention?: true }',
    keys: GUILD_KEYS,
    id: guildId,
    entry: (g, p) => ({
      id: String(g.id),
      channels: plainIdList(g.channels ?? [], `${p}.channels`, channelId, v, { max: MAX_CHANNELS, example: EXAMPLE }),
      requireMention: plainBoolean(g.requireMention, true, `${p}.requireMention`, v),
    }),
  });
  return {
    botToken: v.checkSecret(`${prefix}botToken`, args.botToken, botToken),
    userIds,
    guilds,
  };
}

/** Discord's settings (everything but the bot token), from its resolved arguments and the gateway. */
export function discordSettings(
  r: Unwrap<Omit<ReturnType<typeof resolveDiscordArgs>, "botToken">>,
  gw: GatewayFacts,
): DiscordSettings {
  return { userIds: r.userIds, guilds: r.guilds, port: gw.port, pluginVersion: gw.openclawVersion };
}

/**
 * The Discord channel's part of `openclaw.json`. Pure.
 */
import type { ConfigPatch } from "../gateway/openclaw-config.js";

/** One server (guild) the bot answers in. */
export interface DiscordGuildSettings {
  /** The guild's id (a snowflake, as a string). */
  readonly id: string;
  /** The only channels (ids) it answers in; empty: every channel it can see. */
  readonly channels: readonly string[];
  /** Whether it answers in the guild only when mentioned. */
  readonly requireMention: boolean;
}

export interface DiscordConfigSettings {
  /** Discord user ids (snowflakes) allowed to talk to the bot, in DMs and in guilds. */
  readonly userIds: readonly string[];
  /** Guilds it answers in; none: DMs only. */
  readonly guilds: readonly DiscordGuildSettings[];
}

export interface DiscordConfigSecrets {
  readonly botToken: string;
}

export function renderDiscordConfig(s: DiscordConfigSettings, secrets: DiscordConfigSecrets): ConfigPatch {
  const guilds = Object.fromEntries(
    s.guilds.map((g) => [
      g.id,
      {
        requireMention: g.requireMention,
        // In a guild too, only the declared users reach the agent.
        users: [...s.userIds],
        // A channel map is an allowlist: any channel not in it is denied.
        ...(g.channels.length > 0
          ? { channels: Object.fromEntries(g.channels.map((c) => [c, { enabled: true }])) }
          : {}),
      },
    ]),
  );
  return {
    channels: {
      discord: {
        enabled: true,
        token: secrets.botToken,
        // Ids stay strings: snowflakes exceed 2^53, so JSON numbers would change them.
        allowFrom: [...s.userIds],
        dmPolicy: "allowlist",
        // `disabled`, not OpenClaw's `allowlist` with no guilds: the same
        // effect, said in the config itself.
        groupPolicy: s.guilds.length > 0 ? "allowlist" : "disabled",
        ...(s.guilds.length > 0 ? { guilds } : {}),
      },
    },
  };
}

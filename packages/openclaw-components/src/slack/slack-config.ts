/**
 * The Slack channel's part of `openclaw.json`. Pure.
 */
import type { ConfigPatch } from "../gateway/openclaw-config.js";

/** One Slack channel the bot answers in. */
export interface SlackAllowedChannel {
  /** The channel's id, e.g. `C0123ABCDE`. */
  readonly id: string;
  /** Whether it answers there only when mentioned. */
  readonly requireMention: boolean;
}

export interface SlackConfigSettings {
  /** Slack member ids allowed to talk to the bot, in DMs and in channels. */
  readonly userIds: readonly string[];
  /** Channels it answers in; none: DMs only. */
  readonly channels: readonly SlackAllowedChannel[];
}

export interface SlackConfigSecrets {
  readonly botToken: string;
  readonly appToken: string;
}

export function renderSlackConfig(s: SlackConfigSettings, secrets: SlackConfigSecrets): ConfigPatch {
  return {
    channels: {
      slack: {
        enabled: true,
        // Socket Mode: the gateway dials Slack, so the host needs no public URL.
        mode: "socket",
        botToken: secrets.botToken,
        appToken: secrets.appToken,
        allowFrom: [...s.userIds],
        dmPolicy: "allowlist",
        // `disabled`, not `allowlist` with no channels: the same effect, said in the config itself.
        groupPolicy: s.channels.length > 0 ? "allowlist" : "disabled",
        ...(s.channels.length > 0
          ? {
              // Keyed by id, never by name: a name is resolved through Slack and can be renamed.
              channels: Object.fromEntries(
                s.channels.map((c) => [
                  c.id,
                  // In a channel too, only the declared users reach the agent.
                  { enabled: true, requireMention: c.requireMention, users: [...s.userIds] },
                ]),
              ),
            }
          : {}),
      },
    },
  };
}

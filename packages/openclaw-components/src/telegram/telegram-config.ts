/**
 * The Telegram channel's part of `openclaw.json`. Pure.
 */
import type { ConfigPatch } from "../gateway/openclaw-config.js";

export interface TelegramConfigSettings {
  /** Numeric Telegram user id allowed to talk to the bot. */
  readonly userId: string;
  /** Bot API base URL; only tests change it (to a fake Bot API on loopback). */
  readonly apiRoot?: string;
}

export interface TelegramConfigSecrets {
  readonly botToken: string;
}

export function renderTelegramConfig(s: TelegramConfigSettings, secrets: TelegramConfigSecrets): ConfigPatch {
  return {
    channels: {
      telegram: {
        enabled: true,
        botToken: secrets.botToken,
        // allowFrom before dmPolicy: OpenClaw rejects an allowlist policy with
        // an empty list. One patch applies both at once.
        allowFrom: [Number(s.userId)],
        dmPolicy: "allowlist",
        ...(s.apiRoot ? { apiRoot: s.apiRoot } : {}),
      },
    },
  };
}

/**
 * The WhatsApp channel's part of `openclaw.json`. Pure.
 */
import type { ConfigPatch } from "../gateway/openclaw-config.js";

export interface WhatsAppConfigSettings {
  /** Phone numbers (E.164) allowed to message the agent in direct chats. */
  readonly allowFrom: readonly string[];
}

/**
 * No secret here: WhatsApp is linked once, by QR code, and the link lives in
 * OpenClaw's state (`~/.openclaw/credentials/whatsapp`), never in the config.
 */
export function renderWhatsAppConfig(s: WhatsAppConfigSettings): ConfigPatch {
  return {
    channels: {
      whatsapp: {
        enabled: true,
        dmPolicy: "allowlist",
        allowFrom: [...s.allowFrom],
        // Group chats stay off: a group's other members are not on the allowlist.
        groupPolicy: "disabled",
      },
    },
  };
}

/**
 * Argument combinations of the real-OpenClaw tier, rendered with the
 * library's own functions. The whole `openclaw.json` of a combination is
 * `mergeConfigPatches(gateway, sandbox?, telegram?, discord?, slack?, whatsapp?)`: on a host each part is
 * applied in turn with `openclaw config patch --stdin`.
 */
import { randomBytes } from "node:crypto";
import { GATEWAY_DEFAULTS } from "../../src/gateway/args.js";
import {
  mergeConfigPatches,
  renderGatewayConfig,
  type ConfigPatch,
  type GatewayConfigSettings,
} from "../../src/gateway/openclaw-config.js";
import { SANDBOX_DEFAULTS } from "../../src/sandbox/args.js";
import { renderSandboxConfig, type SandboxConfigSettings } from "../../src/sandbox/sandbox-config.js";
import { renderTelegramConfig, type TelegramConfigSettings } from "../../src/telegram/telegram-config.js";
import { renderDiscordConfig, type DiscordConfigSettings } from "../../src/discord/discord-config.js";
import { renderDeclaredJobs } from "../../src/schedules/schedules.js";
import { SCHEDULE_STEPS } from "../../src/schedules/steps.js";
import type { RemoteStep } from "../../src/remote/step.js";
import type { OfficialPlugin } from "../../src/remote/plugin.js";
import { DEFAULT_OPENCLAW_VERSION } from "../../src/versions.js";
import { isolate, preparePlugin, type Isolation } from "./harness.js";
import { renderSlackConfig, type SlackConfigSecrets, type SlackConfigSettings } from "../../src/slack/slack-config.js";
import { renderWhatsAppConfig, type WhatsAppConfigSettings } from "../../src/whatsapp/whatsapp-config.js";

/** A generated gateway token, as the library's random resource makes one (48 hex characters). */
export const GATEWAY_TOKEN = randomBytes(24).toString("hex");
/** A Telegram bot token of the real shape; the fake Bot API accepts anything. */
export const BOT_TOKEN = "123456789:AAFake_Token-0123456789abcdefghijkl";
export const TELEGRAM_USER_ID = "987654321";
/** A Discord bot token of the real shape (three base64url parts); nothing checks it offline. */
export const DISCORD_BOT_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GfakeT.0123456789abcdefghijklmnopqrstuvwxyzABCD";
/** Discord as users write it: DMs from one user, and one guild limited to one channel. */
export const DISCORD_SETTINGS: DiscordConfigSettings = {
  userIds: ["123456789012345678"],
  guilds: [{ id: "223456789012345678", channels: ["323456789012345678"], requireMention: true }],
};

/** Slack tokens of the real shapes (bot `xoxb-`, app-level `xapp-`); nothing checks them offline. */
export const SLACK_TOKENS: SlackConfigSecrets = {
  botToken: "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
  appToken: "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
};
/** Slack as users write it: DMs from one member, and one channel. */
export const SLACK_SETTINGS: SlackConfigSettings = {
  userIds: ["U0123ABCDE"],
  channels: [{ id: "C0123ABCDE", requireMention: true }],
};

/** WhatsApp as users write it: two numbers allowed (nothing secret: the link is made on the host). */
export const WHATSAPP_SETTINGS: WhatsAppConfigSettings = { allowFrom: ["+4915123456789", "+14155550123"] };

export const DEFAULT_GATEWAY: GatewayConfigSettings = {
  port: GATEWAY_DEFAULTS.port,
  model: GATEWAY_DEFAULTS.model,
  thinkingDefault: GATEWAY_DEFAULTS.thinkingDefault,
};

export const DEFAULT_SANDBOX: SandboxConfigSettings = {
  mode: SANDBOX_DEFAULTS.mode,
  workspaceAccess: SANDBOX_DEFAULTS.workspaceAccess,
  network: SANDBOX_DEFAULTS.network,
  image: SANDBOX_DEFAULTS.image,
};

export interface Combination {
  readonly name: string;
  readonly gateway: GatewayConfigSettings;
  readonly sandbox?: SandboxConfigSettings;
  readonly telegram?: TelegramConfigSettings;
  readonly discord?: DiscordConfigSettings;
  readonly slack?: SlackConfigSettings;
  readonly whatsapp?: WhatsAppConfigSettings;
}

export interface RenderedCombination {
  /** The parts in the order the host applies them. */
  readonly parts: ReadonlyArray<{ readonly name: string; readonly patch: ConfigPatch }>;
  /** All parts merged: the whole `openclaw.json`. */
  readonly config: ConfigPatch;
}

export function renderCombination(c: Combination): RenderedCombination {
  const parts = [
    { name: "gateway", patch: renderGatewayConfig(c.gateway, { gatewayToken: GATEWAY_TOKEN }) },
    ...(c.sandbox ? [{ name: "sandbox", patch: renderSandboxConfig(c.sandbox) }] : []),
    ...(c.telegram ? [{ name: "telegram", patch: renderTelegramConfig(c.telegram, { botToken: BOT_TOKEN }) }] : []),
    ...(c.discord ? [{ name: "discord", patch: renderDiscordConfig(c.discord, { botToken: DISCORD_BOT_TOKEN }) }] : []),
    ...(c.slack ? [{ name: "slack", patch: renderSlackConfig(c.slack, SLACK_TOKENS) }] : []),
    ...(c.whatsapp ? [{ name: "whatsapp", patch: renderWhatsAppConfig(c.whatsapp) }] : []),
  ];
  return { parts, config: mergeConfigPatches(...parts.map((p) => p.patch)) };
}

/** Gateway + sandbox + Telegram, all at their defaults; `apiRoot` points at a fake Bot API when given. */
export function fullCombination(apiRoot?: string): Combination {
  return {
    name: "full (gateway + sandbox + telegram, defaults)",
    gateway: DEFAULT_GATEWAY,
    sandbox: DEFAULT_SANDBOX,
    telegram: { userId: TELEGRAM_USER_ID, ...(apiRoot ? { apiRoot } : {}) },
  };
}

export const COMBINATIONS: readonly Combination[] = [
  { name: "defaults (gateway + sandbox)", gateway: DEFAULT_GATEWAY, sandbox: DEFAULT_SANDBOX },
  fullCombination("http://127.0.0.1:9"),
  { name: "no sandbox", gateway: DEFAULT_GATEWAY },
  {
    name: "sandbox network none, workspace ro, mode non-main",
    gateway: DEFAULT_GATEWAY,
    sandbox: { ...DEFAULT_SANDBOX, mode: "non-main", workspaceAccess: "ro", network: "none" },
  },
  {
    name: "sandbox mode off, workspace none",
    gateway: DEFAULT_GATEWAY,
    sandbox: { ...DEFAULT_SANDBOX, mode: "off", workspaceAccess: "none" },
  },
  {
    name: "other model, thinking level and port",
    gateway: { port: 28789, model: "anthropic/claude-sonnet-4-6", thinkingDefault: "medium" },
    sandbox: DEFAULT_SANDBOX,
  },
  {
    name: "telegram without sandbox, haiku, thinking off",
    gateway: { port: 18790, model: "anthropic/claude-haiku-4-5", thinkingDefault: "off" },
    telegram: { userId: "42" },
  },
  {
    name: "telegram, discord (DMs, one guild limited to one channel), slack (DMs, one channel) and whatsapp (two numbers)",
    gateway: DEFAULT_GATEWAY,
    sandbox: DEFAULT_SANDBOX,
    telegram: { userId: TELEGRAM_USER_ID, apiRoot: "http://127.0.0.1:9" },
    discord: DISCORD_SETTINGS,
    slack: SLACK_SETTINGS,
    whatsapp: WHATSAPP_SETTINGS,
  },
  {
    name: "discord only, DMs only, two users",
    gateway: DEFAULT_GATEWAY,
    sandbox: DEFAULT_SANDBOX,
    discord: { userIds: ["123456789012345678", "98765432109876543"], guilds: [] },
  },
];

/**
 * The library's schedule sync step (`ScheduledJobs`', no Telegram needed)
 * with one job announced to `to` on `channel` (a leap-day schedule: it never
 * fires while a test runs).
 */
export function syncStepDeliveringTo(channel: string, to: string, port: number): RemoteStep {
  const jobs = renderDeclaredJobs(
    [{ name: `Digest to ${channel}`, cron: "0 8 29 2 *", message: "Digest.", deliverTo: { channel, to } }],
    { timezone: "UTC" },
  );
  return SCHEDULE_STEPS.render({ jobs, port }, {}).syncSchedules;
}

/** The gateway's port in the channels' gateway tests. */
export const CHANNEL_GATEWAY_PORT = 18789;

/**
 * What each channel's gateway test starts from: the channel's pinned plugin
 * prepared, an isolation of its own (pushed to `isolations` for clean-up),
 * and the config of a gateway and sandbox at their defaults with the
 * channel's part. A plugin that cannot be prepared is returned as its reason.
 */
export function channelGatewaySetup(
  binDir: string,
  plugin: OfficialPlugin,
  part: Pick<Combination, "discord" | "slack" | "whatsapp">,
  isolations: Isolation[],
): { ok: false; reason: string } | { ok: true; iso: Isolation; pluginStateDir: string; config: ConfigPatch } {
  const prepared = preparePlugin(binDir, plugin.npmPackage, DEFAULT_OPENCLAW_VERSION);
  if (!prepared.ok) return prepared;
  const iso = isolate(binDir, `${plugin.id}-gateway`);
  isolations.push(iso);
  const { config } = renderCombination({
    name: `${plugin.id} gateway`,
    gateway: { ...DEFAULT_GATEWAY, port: CHANNEL_GATEWAY_PORT },
    sandbox: DEFAULT_SANDBOX,
    ...part,
  });
  return { ok: true, iso, pluginStateDir: prepared.stateDir, config };
}

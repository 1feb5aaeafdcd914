/**
 * Renders the Discord steps: its plugin, the channel's config part (secret:
 * the bot token), and their removal when Discord is switched off. Pure.
 */
import { renderChannelStep } from "../remote/channel.js";
import { OFFICIAL_PLUGINS, renderPluginStep } from "../remote/plugin.js";
import { removalSpec } from "../remote/removal.js";
import type { RemoteStep, StepSpec } from "../remote/step.js";
import { renderDiscordConfig, type DiscordConfigSecrets, type DiscordConfigSettings } from "./discord-config.js";

export interface DiscordSettings extends DiscordConfigSettings {
  /** The gateway's loopback port, for its restart. */
  readonly port: number;
  /** Version of the `@openclaw/discord` plugin: the gateway's OpenClaw version (they are released together). */
  readonly pluginVersion: string;
}

export interface DiscordSteps {
  readonly installDiscordPlugin: RemoteStep;
  readonly configureDiscord: RemoteStep;
}

export const DISCORD_SECRET_PLACEHOLDERS: DiscordConfigSecrets = { botToken: "<secret:discord.botToken>" };

export function renderDiscordSteps(s: DiscordSettings, secrets: DiscordConfigSecrets): DiscordSteps {
  return {
    installDiscordPlugin: renderPluginStep(OFFICIAL_PLUGINS.discord, {
      version: s.pluginVersion,
      port: s.port,
      // The version stays out of the description: it is an argument, and the description is command text.
      description: `install OpenClaw's Discord plugin (${OFFICIAL_PLUGINS.discord.npmPackage}) at OpenClaw's own version`,
    }),
    configureDiscord: renderChannelStep({
      channel: "discord",
      // No count or id here: the description is command text, and these are arguments.
      description:
        "enable the Discord channel for the declared users only (allowlist), in DMs and the declared guilds; restart on change",
      patch: renderDiscordConfig({ userIds: s.userIds, guilds: s.guilds }, secrets),
      // A guild or channel dropped from the arguments must leave the allowlist.
      replaced: ["guilds"],
      port: s.port,
    }),
  };
}

/**
 * Discord's steps: its plugin (OpenClaw ships Discord as a package of its
 * own), then the channel, the bot token on stdin.
 */
export const DISCORD_STEPS: StepSpec<DiscordSettings, DiscordConfigSecrets, keyof DiscordSteps> = {
  render: renderDiscordSteps,
  order: ["installDiscordPlugin", "configureDiscord"],
  placeholders: DISCORD_SECRET_PLACEHOLDERS,
  secretSteps: ["configureDiscord"],
};

/** With Discord off: its config part goes, so the bot disconnects, then its plugin. */
export const DISCORD_REMOVAL = removalSpec("removeDiscord", {
  name: "remove-discord",
  feature: "Discord",
  description:
    "Discord off: remove the channel's config part, so the bot disconnects, and uninstall its plugin; restart the gateway on change",
  configPaths: ["channels.discord"],
  plugins: [OFFICIAL_PLUGINS.discord.id],
  markers: ["config-discord"],
});

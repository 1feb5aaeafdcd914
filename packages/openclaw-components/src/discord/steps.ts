/**
 * Renders the Discord steps: its plugin, the channel's config part (secret:
 * the bot token), and their removal when Discord is switched off. Pure.
 */
import { OFFICIAL_PLUGINS } from "../remote/plugin.js";
import {
  pluginChannelRemoval,
  renderPluginChannelSteps,
  type PluginChannelSettings,
} from "../remote/plugin-channel.js";
import type { RemoteStep, StepSpec } from "../remote/step.js";
import { renderDiscordConfig, type DiscordConfigSecrets, type DiscordConfigSettings } from "./discord-config.js";

export interface DiscordSettings extends DiscordConfigSettings, PluginChannelSettings {}

const DISCORD = { plugin: OFFICIAL_PLUGINS.discord, label: "Discord" };

export interface DiscordSteps {
  readonly installDiscordPlugin: RemoteStep;
  readonly configureDiscord: RemoteStep;
}

export const DISCORD_SECRET_PLACEHOLDERS: DiscordConfigSecrets = { botToken: "<secret:discord.botToken>" };

export function renderDiscordSteps(s: DiscordSettings, secrets: DiscordConfigSecrets): DiscordSteps {
  const steps = renderPluginChannelSteps(DISCORD, s, {
    // No count or id here: the description is command text, and these are arguments.
    description:
      "enable the Discord channel for the declared users only (allowlist), in DMs and the declared guilds; restart on change",
    patch: renderDiscordConfig({ userIds: s.userIds, guilds: s.guilds }, secrets),
    // A guild or channel dropped from the arguments must leave the allowlist.
    replaced: ["guilds"],
  });
  return { installDiscordPlugin: steps.install, configureDiscord: steps.configure };
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
export const DISCORD_REMOVAL = pluginChannelRemoval("removeDiscord", DISCORD);

/**
 * Renders the Slack steps: its plugin, the channel's config part (secret: the
 * bot and app tokens), and their removal when Slack is switched off. Pure.
 */
import { OFFICIAL_PLUGINS } from "../remote/plugin.js";
import {
  pluginChannelRemoval,
  renderPluginChannelSteps,
  type PluginChannelSettings,
} from "../remote/plugin-channel.js";
import type { RemoteStep, StepSpec } from "../remote/step.js";
import { renderSlackConfig, type SlackConfigSecrets, type SlackConfigSettings } from "./slack-config.js";

export interface SlackSettings extends SlackConfigSettings, PluginChannelSettings {}

const SLACK = { plugin: OFFICIAL_PLUGINS.slack, label: "Slack" };

export interface SlackSteps {
  readonly installSlackPlugin: RemoteStep;
  readonly configureSlack: RemoteStep;
}

export const SLACK_SECRET_PLACEHOLDERS: SlackConfigSecrets = {
  botToken: "<secret:slack.botToken>",
  appToken: "<secret:slack.appToken>",
};

export function renderSlackSteps(s: SlackSettings, secrets: SlackConfigSecrets): SlackSteps {
  const steps = renderPluginChannelSteps(SLACK, s, {
    // No count or id here: the description is command text, and these are arguments.
    description:
      "enable the Slack channel in Socket Mode for the declared users only (allowlist), in DMs and the declared channels; restart on change",
    patch: renderSlackConfig({ userIds: s.userIds, channels: s.channels }, secrets),
    // A channel dropped from the arguments must leave the allowlist.
    replaced: ["channels"],
  });
  return { installSlackPlugin: steps.install, configureSlack: steps.configure };
}

/**
 * Slack's steps: its plugin (OpenClaw ships Slack as a package of its own),
 * then the channel, both tokens on stdin.
 */
export const SLACK_STEPS: StepSpec<SlackSettings, SlackConfigSecrets, keyof SlackSteps> = {
  render: renderSlackSteps,
  order: ["installSlackPlugin", "configureSlack"],
  placeholders: SLACK_SECRET_PLACEHOLDERS,
  secretSteps: ["configureSlack"],
};

/** With Slack off: its config part goes, so the bot disconnects, then its plugin. */
export const SLACK_REMOVAL = pluginChannelRemoval("removeSlack", SLACK);

/**
 * A chat channel OpenClaw ships as an official plugin of its own (Discord,
 * Slack, WhatsApp): its two steps, `install-<id>-plugin` then `configure-<id>`, and its
 * `remove-<id>` step for when it is switched off. Pure.
 */
import { renderChannelStep, type ChannelStep } from "./channel.js";
import { renderPluginStep, type OfficialPlugin } from "./plugin.js";
import { removalSpec } from "./removal.js";
import type { RemoteStep } from "./step.js";

export interface PluginChannel {
  readonly plugin: OfficialPlugin;
  /** The channel as messages name it, e.g. `Slack`. */
  readonly label: string;
}

/** What both steps need from the gateway. */
export interface PluginChannelSettings {
  /** The gateway's loopback port, for its restart. */
  readonly port: number;
  /** The plugin's version: the gateway's OpenClaw version (they are released together). */
  readonly pluginVersion: string;
}

export function renderPluginChannelSteps(
  c: PluginChannel,
  s: PluginChannelSettings,
  configure: Pick<ChannelStep, "description" | "patch" | "replaced">,
): { readonly install: RemoteStep; readonly configure: RemoteStep } {
  return {
    install: renderPluginStep(c.plugin, {
      version: s.pluginVersion,
      port: s.port,
      // The version stays out of the description: it is an argument, and the description is command text.
      description: `install OpenClaw's ${c.label} plugin (${c.plugin.npmPackage}) at OpenClaw's own version`,
    }),
    configure: renderChannelStep({ channel: c.plugin.id, port: s.port, ...configure }),
  };
}

/** With the channel off: its config part goes, so the bot disconnects, then its plugin. */
export function pluginChannelRemoval<K extends string>(
  key: K,
  c: PluginChannel,
  /** What the running channel writes under home (its link state), removed last. */
  state?: readonly string[],
) {
  return removalSpec(key, {
    name: `remove-${c.plugin.id}`,
    feature: c.label,
    description: `${c.label} off: remove the channel's config part, so the bot disconnects, and uninstall its plugin; restart the gateway on change`,
    configPaths: [`channels.${c.plugin.id}`],
    plugins: [c.plugin.id],
    markers: [`config-${c.plugin.id}`],
    ...(state?.length ? { state } : {}),
  });
}

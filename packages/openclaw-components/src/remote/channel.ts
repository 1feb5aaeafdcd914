/**
 * One chat channel's config step, `configure-<channel>`: its config part on
 * stdin (it holds the channel's token), applied with `openclaw config patch`
 * (scripts/configure-channel.sh), the gateway restarted when it changed. Pure.
 */
import { configText, type ConfigPatch } from "../gateway/openclaw-config.js";
import configureChannelScript from "./scripts/configure-channel.sh";
import { renderStep, type RemoteStep } from "./step.js";

export interface ChannelStep {
  /** The channel's key under `channels` in `openclaw.json`, e.g. `telegram`. */
  readonly channel: string;
  /** One line: what the step makes sure of. */
  readonly description: string;
  /** The channel's config part, its secrets in place (or as placeholders for the plan). */
  readonly patch: ConfigPatch;
  /**
   * Keys of the channel's block that are replaced whole, not merged: what the
   * live config holds under one of them and `patch` does not is deleted.
   * @default none
   */
  readonly replaced?: readonly string[];
  /** The gateway's loopback port, for its restart. */
  readonly port: number;
}

export function renderChannelStep(c: ChannelStep): RemoteStep {
  return renderStep({
    name: `configure-${c.channel}`,
    description: c.description,
    script: configureChannelScript,
    environment: {
      OPENCLAW_CHANNEL: c.channel,
      OPENCLAW_CHANNEL_REPLACED: JSON.stringify(c.replaced ?? []),
      OPENCLAW_GATEWAY_PORT: String(c.port),
    },
    stdin: configText(c.patch),
    secret: true,
  });
}

import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { DISCORD_CHANNEL_KEYS, discordSettings, resolveDiscordArgs, type DiscordChannelArgs } from "./args.js";
import { DISCORD_STEPS, type DiscordSettings, type DiscordSteps } from "./steps.js";

export type { DiscordChannelArgs, DiscordGuildOptions, DiscordOptions } from "./args.js";

/**
 * The Discord channel: only the declared users may talk to the bot, in DMs
 * and in the guilds (and channels) listed. Two steps: `install-discord-plugin`
 * installs OpenClaw's own Discord plugin at the gateway's OpenClaw version,
 * then `configure-discord` applies the channel with OpenClaw's own
 * `config patch`, the bot token on stdin.
 */
export class DiscordChannel extends pulumi.ComponentResource {
  /** Everything the step is rendered from, but the bot token. */
  readonly settings: pulumi.Output<DiscordSettings>;
  /** The rendered steps, with the token as a placeholder (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly steps: Readonly<Record<keyof DiscordSteps, command.remote.Command>>;
  readonly ready: command.remote.Command;

  constructor(name: string, args: DiscordChannelArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const resource = `DiscordChannel "${name}"`;
    const { botToken, connectionHost, ...c } = resolveArgs(resource, args, (a, v) => {
      v.knownKeys("", a, DISCORD_CHANNEL_KEYS);
      return { ...resolveDiscordArgs(a, v), connectionHost: checkConnectionHost(a.connectionHost, v) };
    });
    super("openclaw:index:DiscordChannel", name, {}, opts);

    const gateway = args.gateway;
    this.settings = pulumi.all([pulumi.output(c), gateway.facts]).apply(([r, gw]) => discordSettings(r, gw));
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: DISCORD_STEPS,
      secrets: pulumi.output(botToken).apply((botToken) => ({ botToken })),
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.configureDiscord;
    this.registerOutputs({ settings: this.settings });
  }
}

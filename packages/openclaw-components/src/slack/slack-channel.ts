import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { SLACK_CHANNEL_KEYS, slackSettings, resolveSlackArgs, type SlackChannelArgs } from "./args.js";
import { SLACK_STEPS, type SlackSettings, type SlackSteps } from "./steps.js";

export type { SlackChannelArgs, SlackAllowedChannelOptions, SlackOptions } from "./args.js";

/**
 * The Slack channel, in Socket Mode (the gateway dials Slack: no inbound
 * URL): only the declared users may talk to the bot, in DMs and in the
 * channels listed. Two steps: `install-slack-plugin` installs OpenClaw's own
 * Slack plugin at the gateway's OpenClaw version, then `configure-slack`
 * applies the channel with OpenClaw's own `config patch`, both tokens on stdin.
 */
export class SlackChannel extends pulumi.ComponentResource {
  /** Everything the steps are rendered from, but the tokens. */
  readonly settings: pulumi.Output<SlackSettings>;
  /** The rendered steps, with the tokens as placeholders (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly steps: Readonly<Record<keyof SlackSteps, command.remote.Command>>;
  readonly ready: command.remote.Command;

  constructor(name: string, args: SlackChannelArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const resource = `SlackChannel "${name}"`;
    const { botToken, appToken, connectionHost, ...c } = resolveArgs(resource, args, (a, v) => {
      v.knownKeys("", a, SLACK_CHANNEL_KEYS);
      return { ...resolveSlackArgs(a, v), connectionHost: checkConnectionHost(a.connectionHost, v) };
    });
    super("openclaw:index:SlackChannel", name, {}, opts);

    const gateway = args.gateway;
    this.settings = pulumi.all([pulumi.output(c), gateway.facts]).apply(([r, gw]) => slackSettings(r, gw));
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: SLACK_STEPS,
      secrets: pulumi.all([botToken, appToken]).apply(([botToken, appToken]) => ({ botToken, appToken })),
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.configureSlack;
    this.registerOutputs({ settings: this.settings });
  }
}

import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { resolveTelegramChannelArgs, telegramChannelSettings, type TelegramChannelArgs } from "./args.js";
import { TELEGRAM_CHANNEL_STEPS, type TelegramChannelSettings, type TelegramChannelSteps } from "./steps.js";

export type { TelegramChannelArgs } from "./args.js";

/**
 * The Telegram channel: only your user id may talk to the bot. Its jobs are
 * `ScheduledJobs`' (which `OpenClawDeployment` points at this user by default).
 */
export class TelegramChannel extends pulumi.ComponentResource {
  /** Everything the step is rendered from, but the bot token. */
  readonly settings: pulumi.Output<TelegramChannelSettings>;
  /** The rendered step, with the token as a placeholder (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly steps: Readonly<Record<keyof TelegramChannelSteps, command.remote.Command>>;
  readonly ready: command.remote.Command;

  constructor(name: string, args: TelegramChannelArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { botToken, connectionHost, ...c } = resolveArgs(`TelegramChannel "${name}"`, args, (a, v) => ({
      ...resolveTelegramChannelArgs(a, v),
      connectionHost: checkConnectionHost(a.connectionHost, v),
    }));
    super("openclaw:index:TelegramChannel", name, {}, opts);
    const gateway = args.gateway;
    this.settings = pulumi.all([pulumi.output(c), gateway.facts]).apply(([r, gw]) => telegramChannelSettings(r, gw));
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: TELEGRAM_CHANNEL_STEPS,
      secrets: pulumi.output(botToken).apply((botToken) => ({ botToken })),
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.configureTelegram;
    this.registerOutputs({});
  }
}

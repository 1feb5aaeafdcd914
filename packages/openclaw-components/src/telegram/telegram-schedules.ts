import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { resolveTelegramArgs, telegramSettings, type TelegramSchedulesArgs } from "./args.js";
import type { Schedule } from "../schedules/schedules.js";
import { TELEGRAM_STEPS, type TelegramSettings, type TelegramSteps } from "./steps.js";

export type { TelegramOptions, TelegramSchedulesArgs } from "./args.js";

/**
 * The Telegram channel (only your user id may talk to the bot) and the
 * scheduled jobs that report to you there. Changing one job re-runs only the
 * sync step, which updates that job in place.
 */
export class TelegramSchedules extends pulumi.ComponentResource {
  /** The declared schedules (after defaults). */
  readonly schedules: pulumi.Output<Schedule[]>;
  /** Everything the steps are rendered from, but the bot token. */
  readonly settings: pulumi.Output<TelegramSettings>;
  /** The rendered steps in order, with secrets as placeholders (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly steps: Readonly<Record<keyof TelegramSteps, command.remote.Command>>;
  readonly ready: command.remote.Command;

  constructor(name: string, args: TelegramSchedulesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const resource = `TelegramSchedules "${name}"`;
    const { botToken, connectionHost, ...c } = resolveArgs(resource, args, (a, v) => ({
      ...resolveTelegramArgs(a, v),
      connectionHost: checkConnectionHost(a.connectionHost, v),
    }));
    super("openclaw:index:TelegramSchedules", name, {}, opts);

    const gateway = args.gateway;
    this.settings = pulumi.all([pulumi.output(c), gateway.facts]).apply(([r, gw]) => telegramSettings(r, gw));
    this.schedules = this.settings.apply((s) => [...s.schedules]);
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: TELEGRAM_STEPS,
      secrets: pulumi.output(botToken).apply((botToken) => ({ botToken })),
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.syncSchedules;
    this.registerOutputs({ schedules: this.schedules });
  }
}

import * as pulumi from "@pulumi/pulumi";
import type { RemoteStep } from "../remote/step.js";
import type * as command from "@pulumi/command";
import type { Gateway } from "../gateway/gateway.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import { OpenClawArgsError } from "../validate/errors.js";
import type { Rule } from "../validate/rules.js";
import { hostAddress } from "../validate/rules.js";
import { ArgValidator, asSecret } from "../validate/validator.js";
import { DEFAULT_SCHEDULES, DEFAULT_TIMEZONE, isTimezone, scheduleIssues, type Schedule } from "./schedules.js";
import { renderTelegramSteps, TELEGRAM_SECRET_PLACEHOLDERS, type TelegramSettings, type TelegramSteps } from "./steps.js";

/** The `telegram` block of `OpenClawDeploymentArgs`. */
export interface TelegramOptions {
  /** Bot token from `@BotFather` (secret). Reaches the host on stdin only. */
  botToken: pulumi.Input<string>;
  /** Your numeric Telegram user id (from `@userinfobot`): the only sender the bot accepts, and where jobs announce. */
  userId: pulumi.Input<string | number>;
  /**
   * IANA timezone of schedules that name none.
   * @default "Europe/Berlin"
   */
  timezone?: pulumi.Input<string>;
  /**
   * The scheduled jobs, as the complete list: jobs the library created that are
   * not listed are removed; jobs created by hand are never touched.
   * @default the four jobs Morning Digest, Evening Review, Night Shift, Weekly Planning
   */
  schedules?: pulumi.Input<Schedule[]>;
  /**
   * Telegram Bot API base URL. Only for a self-hosted Bot API server or tests.
   * @default Telegram's own
   */
  apiRoot?: pulumi.Input<string>;
}

export interface TelegramSchedulesArgs extends TelegramOptions {
  /**
   * Overrides the address this component's steps connect to.
   * @default the gateway's connection host
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * Resources this component's first step waits for, e.g. another component's
   * last step so that restarts of the gateway never overlap.
   * @default the gateway's last step
   */
  runAfter?: pulumi.Resource[];
  /** The gateway the channel and jobs belong to. */
  gateway: Gateway;
}

const telegramUserId: Rule<string> = (v) =>
  /^[1-9]\d{0,19}$/.test(v) ? undefined : { problem: "is not a numeric Telegram user id", expected: 'digits only, e.g. "123456789" (ask @userinfobot)' };
const botToken: Rule<string> = (v) =>
  /^\d+:[A-Za-z0-9_-]{20,}$/.test(v) ? undefined : { problem: "is not a Telegram bot token", expected: 'the token from @BotFather, "<digits>:<35 characters>"' };
const timezone: Rule<string> = (v) =>
  isTimezone(v) ? undefined : { problem: "is not a known IANA timezone", expected: 'a name like "Europe/Berlin" or "America/New_York"' };
const httpsUrl: Rule<string> = (v) =>
  /^https?:\/\/[^\s/]+(\/\S*)?$/.test(v) ? undefined : { problem: "is not an http(s) URL", expected: 'a base URL such as "https://api.telegram.org"' };

function asString(v: pulumi.Input<string | number>): pulumi.Input<string> {
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  return pulumi.output(v).apply((x) => (x === undefined || x === null ? "" : String(x)));
}

/** Checks Telegram arguments into `v` (paths under `prefix`) and fills in defaults. */
export function validateTelegramArgs(args: TelegramOptions, v: ArgValidator, prefix = "", resource = "") {
  const schedulesPath = `${prefix}schedules`;
  const schedules = args.schedules ?? [...DEFAULT_SCHEDULES];
  let checkedSchedules: pulumi.Input<Schedule[]>;
  if (pulumi.Output.isInstance(schedules)) {
    checkedSchedules = schedules.apply((list) => {
      const issues = scheduleIssues(list, schedulesPath);
      if (issues.length > 0) throw new OpenClawArgsError(resource, issues);
      return list;
    });
  } else {
    for (const issue of scheduleIssues(schedules as Schedule[], schedulesPath)) v.add(issue);
    checkedSchedules = schedules;
  }
  return {
    botToken: asSecret(`${prefix}botToken`, v.check(`${prefix}botToken`, args.botToken, botToken, { secret: true })),
    userId: v.check(`${prefix}userId`, asString(args.userId), telegramUserId),
    timezone: v.check(`${prefix}timezone`, args.timezone ?? DEFAULT_TIMEZONE, timezone),
    schedules: checkedSchedules,
    apiRoot: args.apiRoot !== undefined ? v.check(`${prefix}apiRoot`, args.apiRoot, httpsUrl) : undefined,
  };
}

/**
 * The Telegram channel (only your user id may talk to the bot) and the
 * scheduled jobs that report to you there. Changing one job re-runs only the
 * sync step, which updates that job in place.
 */
export class TelegramSchedules extends pulumi.ComponentResource {
  /** The declared schedules (after defaults). */
  readonly schedules: pulumi.Output<Schedule[]>;
  /** The rendered steps in order, with secrets as placeholders (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly steps: Readonly<Record<keyof TelegramSteps, command.remote.Command>>;
  readonly ready: command.remote.Command;

  constructor(name: string, args: TelegramSchedulesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const resource = `TelegramSchedules "${name}"`;
    const v = new ArgValidator(resource);
    const c = validateTelegramArgs(args, v, "", resource);
    const connectionHost = args.connectionHost !== undefined ? v.check("connectionHost", args.connectionHost, hostAddress) : undefined;
    v.throwIfInvalid();
    super("openclaw:index:TelegramSchedules", name, {}, opts);

    const gateway = args.gateway;
    this.schedules = pulumi.output(c.schedules) as pulumi.Output<Schedule[]>;
    const settings: pulumi.Output<TelegramSettings> = pulumi
      .all([c.userId, c.timezone, this.schedules, c.apiRoot, gateway.port])
      .apply(([userId, tz, schedules, apiRoot, port]) => ({
        userId,
        timezone: tz,
        schedules,
        port,
        ...(apiRoot ? { apiRoot } : {}),
      }));
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings,
      render: renderTelegramSteps,
      placeholders: TELEGRAM_SECRET_PLACEHOLDERS,
      secrets: pulumi.output(c.botToken).apply((botToken) => ({ botToken })),
      secretSteps: ["configureTelegram"],
      order: ["configureTelegram", "syncSchedules"],
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.syncSchedules;
    this.registerOutputs({ schedules: this.schedules });
  }
}

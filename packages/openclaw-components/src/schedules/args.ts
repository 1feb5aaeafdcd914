import * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import type { GatewayFacts } from "../gateway/args.js";
import type { Gateway } from "../gateway/gateway.js";
import type { ArgValidator } from "../validate/validator.js";
import type { Rule } from "../validate/rules.js";
import {
  DEFAULT_TIMEZONE,
  deliveryIssues,
  isTimezone,
  renderDeclaredJobs,
  scheduleIssues,
  undeliveredIssues,
  type Schedule,
  type ScheduleDelivery,
} from "./schedules.js";
import type { ScheduleSettings } from "./steps.js";

const timezone: Rule<string> = (v) =>
  isTimezone(v)
    ? undefined
    : { problem: "is not a known IANA timezone", expected: 'a name like "Europe/Berlin" or "America/New_York"' };

/** Checks a schedules timezone argument (`path`) into `v`, with its default. */
export function resolveTimezone(value: pulumi.Input<string> | undefined, v: ArgValidator, path: string) {
  return v.check(path, value ?? DEFAULT_TIMEZONE, timezone);
}

/** A recipient whose target may be an Output (e.g. `{ channel: "telegram", to: cfg.require("telegramUserId") }`). */
export interface ScheduleDeliveryArgs {
  /** The channel, e.g. `telegram`, `discord`, `slack` or `whatsapp`. */
  channel: string;
  /** The recipient, in that channel's target syntax (see `ScheduleDelivery.to`). */
  to: pulumi.Input<string>;
}

/** `ScheduledJobs`' arguments. */
export interface ScheduledJobsArgs {
  /** The gateway the jobs run on. */
  gateway: Gateway;
  /**
   * The scheduled jobs, as the complete list: jobs the library created that
   * are not listed are removed; jobs created by hand are never touched.
   * @default none (the library's jobs are removed)
   */
  schedules?: pulumi.Input<Schedule[]>;
  /**
   * IANA timezone of jobs that name none.
   * @default "Europe/Berlin"
   */
  timezone?: pulumi.Input<string>;
  /**
   * Where jobs without `deliverTo` announce, e.g. `{ channel: "telegram", to: "123456789" }`.
   * @default none: every job names its `deliverTo`
   */
  defaultDelivery?: ScheduleDeliveryArgs;
  /**
   * Overrides the address this component's steps connect to.
   * @default the gateway's connection host
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * Resources this component's step waits for: every channel a job announces
   * on must be configured before it (OpenClaw refuses a job for a channel the
   * running gateway has not configured).
   * @default the gateway's last step
   */
  runAfter?: pulumi.Resource[];
}

/** Where each argument is, as the caller's user writes it. */
export interface SchedulePaths {
  readonly schedules: string;
  readonly timezone: string;
  /** Undefined: `defaultDelivery` comes from an argument checked elsewhere (the deployment's `telegram.userId`). */
  readonly defaultDelivery?: string;
}

/** Checks the jobs into `v` (at `paths`) and fills in defaults. */
export function resolveScheduleArgs(
  args: Pick<ScheduledJobsArgs, "schedules" | "timezone" | "defaultDelivery">,
  v: ArgValidator,
  paths: SchedulePaths = { schedules: "schedules", timezone: "timezone", defaultDelivery: "defaultDelivery" },
) {
  const given = args.defaultDelivery;
  const deliveryPath = paths.defaultDelivery;
  const defaultDelivery =
    given !== undefined && deliveryPath !== undefined
      ? v.checkAll(
          (typeof given.to === "string" ? given : pulumi.output(given)) as pulumi.Input<ScheduleDelivery>,
          (d: ScheduleDelivery) => deliveryIssues(d, deliveryPath),
        )
      : given;
  return {
    schedules: v.checkAll(args.schedules ?? [], (list: Schedule[]) => [
      ...scheduleIssues(list, paths.schedules),
      ...(given === undefined ? undeliveredIssues(list, paths.schedules) : []),
    ]),
    timezone: resolveTimezone(args.timezone, v, paths.timezone),
    ...(defaultDelivery !== undefined ? { defaultDelivery } : {}),
  };
}

/** The sync's settings: the declared jobs with their timezone and recipient filled in. */
export function scheduleSettings(
  r: Unwrap<ReturnType<typeof resolveScheduleArgs>>,
  gw: GatewayFacts,
): ScheduleSettings {
  return {
    jobs: renderDeclaredJobs(r.schedules, {
      timezone: r.timezone,
      ...(r.defaultDelivery ? { delivery: r.defaultDelivery } : {}),
    }),
    port: gw.port,
  };
}

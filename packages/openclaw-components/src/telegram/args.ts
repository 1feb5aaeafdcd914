import * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import type { GatewayFacts } from "../gateway/args.js";
import type { Gateway } from "../gateway/gateway.js";
import { TELEGRAM_ID, whole } from "../validate/chat-ids.js";
import type { Rule } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";
import { resolveTimezone } from "../schedules/args.js";
import { DEFAULT_SCHEDULES, scheduleIssues, type Schedule } from "../schedules/schedules.js";
import type { TelegramChannelSettings, TelegramSettings } from "./steps.js";

/** The `telegram` block of `OpenClawDeploymentArgs`. */
export interface TelegramOptions {
  /**
   * Bot token from `@BotFather` (secret). Reaches the host on stdin only.
   * `OpenClawDeployment` sets Telegram up only when it is given (so
   * `cfg.getSecret("telegramBotToken")` can switch it off).
   */
  botToken?: pulumi.Input<string>;
  /**
   * Your numeric Telegram user id (from `@userinfobot`), as a string of digits:
   * the only sender the bot accepts, and where jobs announce.
   */
  userId: pulumi.Input<string>;
  /**
   * IANA timezone of schedules that name none (the older place of the
   * deployment's `schedulesTimezone`; set one of the two).
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

/** `TelegramChannel`'s arguments: the channel alone (its jobs are `ScheduledJobs`'). */
export interface TelegramChannelArgs extends Pick<TelegramOptions, "userId" | "apiRoot"> {
  /** Bot token from `@BotFather` (secret). Reaches the host on stdin only. */
  botToken: pulumi.Input<string>;
  /**
   * Overrides the address this component's steps connect to.
   * @default the gateway's connection host
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * Resources this component's first step waits for.
   * @default the gateway's last step
   */
  runAfter?: pulumi.Resource[];
  /** The gateway the channel belongs to. */
  gateway: Gateway;
}

export interface TelegramSchedulesArgs extends TelegramOptions {
  /** Bot token from `@BotFather` (secret). Reaches the host on stdin only. */
  botToken: pulumi.Input<string>;
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

const telegramUserId: Rule<string> = (v) => {
  if (!whole(TELEGRAM_ID).test(v))
    return {
      problem: "is not a numeric Telegram user id",
      expected: 'digits only, e.g. "123456789" (ask @userinfobot)',
    };
  // OpenClaw keeps `allowFrom` as JSON numbers: a larger id would become another one.
  if (BigInt(v) > BigInt(Number.MAX_SAFE_INTEGER))
    return {
      problem: "is larger than 2^53 - 1, and would change when stored as a number",
      expected: "your Telegram user id",
    };
  return undefined;
};
const botToken: Rule<string> = (v) =>
  /^\d+:[A-Za-z0-9_-]{20,}$/.test(v)
    ? undefined
    : { problem: "is not a Telegram bot token", expected: 'the token from @BotFather, "<digits>:<35 characters>"' };
const httpsUrl: Rule<string> = (v) =>
  /^https?:\/\/[^\s/]+(\/\S*)?$/.test(v)
    ? undefined
    : { problem: "is not an http(s) URL", expected: 'a base URL such as "https://api.telegram.org"' };

// A number is still taken, as typed before `userId` became string-only.
function asString(v: pulumi.Input<string | number>): pulumi.Input<string> {
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  return pulumi.output(v).apply((x) => (x === undefined || x === null ? "" : String(x)));
}

/** Checks the Telegram channel's arguments into `v` (paths under `prefix`). */
export function resolveTelegramChannelArgs(
  args: Pick<TelegramOptions, "userId" | "apiRoot"> & { botToken: pulumi.Input<string> },
  v: ArgValidator,
  prefix = "",
) {
  return {
    botToken: v.checkSecret(`${prefix}botToken`, args.botToken, botToken),
    userId: v.check(`${prefix}userId`, asString(args.userId), telegramUserId),
    apiRoot: args.apiRoot !== undefined ? v.check(`${prefix}apiRoot`, args.apiRoot, httpsUrl) : undefined,
  };
}

/** Checks Telegram arguments into `v` (paths under `prefix`) and fills in defaults. */
export function resolveTelegramArgs(
  args: TelegramOptions & { botToken: pulumi.Input<string> },
  v: ArgValidator,
  prefix = "",
) {
  const schedulesPath = `${prefix}schedules`;
  const schedules = args.schedules ?? [...DEFAULT_SCHEDULES];
  return {
    ...resolveTelegramChannelArgs(args, v, prefix),
    timezone: resolveTimezone(args.timezone, v, `${prefix}timezone`),
    schedules: v.checkAll(schedules, (list: Schedule[]) => scheduleIssues(list, schedulesPath)),
  };
}

/** The Telegram channel's settings (but the bot token), from its resolved arguments and the gateway. */
export function telegramChannelSettings(
  r: Unwrap<Omit<ReturnType<typeof resolveTelegramChannelArgs>, "botToken">>,
  gw: GatewayFacts,
): TelegramChannelSettings {
  return { userId: r.userId, port: gw.port, ...(r.apiRoot ? { apiRoot: r.apiRoot } : {}) };
}

/** Telegram's settings (everything but the bot token), from its resolved arguments and the gateway. */
export function telegramSettings(
  r: Unwrap<Omit<ReturnType<typeof resolveTelegramArgs>, "botToken">>,
  gw: GatewayFacts,
): TelegramSettings {
  return { ...telegramChannelSettings(r, gw), timezone: r.timezone, schedules: r.schedules };
}

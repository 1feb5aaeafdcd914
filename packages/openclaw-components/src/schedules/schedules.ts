/**
 * Scheduled jobs as typed data: defaults, validation and the list the host
 * syncs to. Pure.
 *
 * Cron expressions are checked with `croner`, the parser OpenClaw itself uses
 * for `cron add` (same major version), so the library accepts exactly what the
 * gateway accepts.
 */
import {
  DISCORD_ID,
  E164_NUMBER,
  SLACK_CHANNEL_ID,
  SLACK_MEMBER_ID,
  TELEGRAM_ID,
  whole,
} from "../validate/chat-ids.js";
import { argKeys, unknownKeyIssues } from "../validate/known-keys.js";
import { Cron } from "croner";
import type { ArgIssue } from "../validate/errors.js";
import { MAX_ENV_STRING_BYTES, textProblem, type TextOptions } from "../validate/text.js";

const JOB_TEXT: TextOptions = { trimmed: true };

/** One scheduled job. */
export interface Schedule {
  /** Job name shown in OpenClaw; unique within the list. */
  readonly name: string;
  /** Cron expression, e.g. `30 9 * * *` (5 fields; a leading seconds field is also accepted). */
  readonly cron: string;
  /** The prompt the agent runs. */
  readonly message: string;
  /**
   * IANA timezone the expression is read in.
   * @default the `telegram.timezone` argument, itself defaulting to "Europe/Berlin"
   */
  readonly timezone?: string;
  /**
   * `isolated` runs each job in a fresh session: the only kind OpenClaw runs a prompt job in (it runs
   * a job in the main session only as a system event or a script), so the only value accepted.
   * @default "isolated"
   */
  readonly session?: string;
  /**
   * Where the job's result is announced: a configured channel and a
   * recipient there.
   * @default the Telegram user (`telegram.userId`); without Telegram, needed
   */
  readonly deliverTo?: ScheduleDelivery;
}

/** A job's recipient: a channel the deployment configures, and a target in that channel's own syntax. */
export interface ScheduleDelivery {
  /**
   * The channel: `telegram`, `discord`, `slack` or `whatsapp`, configured by its argument
   * (a channel only `openclawConfig.patch` sets is configured after the sync).
   */
  readonly channel: string;
  /**
   * The recipient, as OpenClaw's `cron add --to` takes it: for Telegram a chat
   * id (`"123456789"`, or a group's `"-1001234567890"`); for Discord and Slack
   * `user:<id>` (a DM) or `channel:<id>` (e.g. `"user:123456789012345678"`,
   * `"channel:C0123ABCDE"`).
   */
  readonly to: string;
}

const SCHEDULE_KEYS = argKeys<Schedule>({
  name: true,
  cron: true,
  message: true,
  timezone: true,
  session: true,
  deliverTo: true,
});
const DELIVERY_KEYS = argKeys<ScheduleDelivery>({ channel: true, to: true });

/**
 * The recipient forms of the channels the library configures, as OpenClaw's
 * cron delivery takes them (Discord and Slack targets carry an explicit
 * `user:`/`channel:` prefix). Another channel's target is checked as text.
 */
const DELIVERY_TARGETS: Readonly<Record<string, { readonly form: RegExp; readonly expected: string }>> = {
  telegram: { form: whole(`-?${TELEGRAM_ID}`), expected: 'a Telegram chat id, e.g. "123456789" or "-1001234567890"' },
  discord: {
    form: whole(`(?:user|channel):${DISCORD_ID}`),
    expected: '"user:<user id>" (a DM) or "channel:<channel id>", e.g. "user:123456789012345678"',
  },
  slack: {
    form: whole(`user:${SLACK_MEMBER_ID}|channel:${SLACK_CHANNEL_ID}`),
    expected: '"user:<member id>" (a DM) or "channel:<channel id>", e.g. "user:U0123ABCDE"',
  },
  whatsapp: { form: whole(E164_NUMBER), expected: 'a phone number in E.164 form, e.g. "+4915123456789"' },
};
const CHANNEL_ID = /^[a-z][a-z0-9-]{0,63}$/;
/** Another channel's target: one printable word (ids, `user:`/`channel:` forms, phone numbers). */
const ANY_TARGET = /^[^\s\p{Cc}]{1,200}$/u;

export const DEFAULT_TIMEZONE = "Europe/Berlin";

/** The four jobs of the template this library replaces. */
export const DEFAULT_SCHEDULES: readonly Schedule[] = [
  { name: "Morning Digest", cron: "30 9 * * *", message: "Good morning! Summarize what needs my attention today." },
  { name: "Evening Review", cron: "30 19 * * *", message: "Evening review. What was accomplished? What is pending?" },
  {
    name: "Night Shift",
    cron: "0 23 * * *",
    message: "Night shift. Review notes, organize, triage, work through tasks. Prepare morning summary.",
  },
  {
    name: "Weekly Planning",
    cron: "0 18 * * 0",
    message: "Weekly planning. Review past week, plan upcoming week priorities.",
  },
];

/**
 * Declaration keys of the jobs this library creates start with this prefix;
 * the sync removes only jobs that carry it and are no longer declared.
 */
export const DECLARATION_KEY_PREFIX = "openclaw-infra:";

/** A job as the host's sync step receives it. */
export interface DeclaredJob {
  /** `openclaw-infra:<slug of the name>`: OpenClaw upserts by it in place. */
  readonly key: string;
  readonly name: string;
  readonly cron: string;
  readonly tz: string;
  readonly session: "isolated";
  readonly message: string;
  /** Delivery: announce on this channel, to this recipient. */
  readonly channel: string;
  readonly to: string;
}

/** Why a cron expression is invalid, in croner's words, or undefined. */
export function cronProblem(expr: string): string | undefined {
  if (expr.trim() === "") return "is empty";
  // OpenClaw stores the expression trimmed: padding would make every sync
  // see a difference.
  if (expr !== expr.trim()) return "has leading or trailing spaces";
  try {
    const job = new Cron(expr, { paused: true });
    // OpenClaw refuses expressions that can never fire (e.g. 31 February).
    if (job.nextRun() === null) return "never fires (no upcoming run time)";
    return undefined;
  } catch (e) {
    return `is not a valid cron expression (${(e as Error).message})`;
  }
}

/** Whether `tz` is an IANA timezone this runtime (and so OpenClaw's) knows. */
export function isTimezone(tz: string): boolean {
  if (tz.trim() === "" || tz !== tz.trim()) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function slug(name: string): string {
  return name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Every problem in a schedule list, each naming the job and the field. */
export function scheduleIssues(schedules: readonly Schedule[], path = "telegram.schedules"): ArgIssue[] {
  const issues: ArgIssue[] = [];
  const seen = new Map<string, number>();
  schedules.forEach((s, i) => {
    const at = (field: string) => `${path}[${i}]${s?.name?.trim() ? ` ("${s.name}")` : ""}.${field}`;
    // e.g. `at: "09:30"` for `cron`: the job would otherwise fail on the host as "cron: null".
    issues.push(...unknownKeyIssues(`${path}[${i}]`, s, SCHEDULE_KEYS));
    if (typeof s?.name !== "string" || s.name.trim() === "") {
      issues.push({ path: at("name"), problem: "is empty", expected: 'a job name, e.g. "Morning Digest"' });
    } else {
      const key = slug(s.name);
      if (key === "") {
        issues.push({
          path: at("name"),
          problem: `"${s.name}" has no letters or digits`,
          expected: "a name with at least one letter or digit",
        });
      } else if (seen.has(key)) {
        issues.push({
          path: at("name"),
          problem: `"${s.name}" duplicates the name of job ${seen.get(key)}`,
          expected: "job names that are unique (ignoring case and punctuation)",
        });
      } else seen.set(key, i);
    }
    const cron = typeof s?.cron === "string" ? cronProblem(s.cron) : "is missing";
    if (cron)
      issues.push({
        path: at("cron"),
        problem: `${JSON.stringify(s?.cron ?? null)} ${cron}`,
        expected: 'five fields "minute hour day-of-month month day-of-week", e.g. "30 9 * * *"',
      });
    if (typeof s?.message !== "string" || s.message.trim() === "") {
      issues.push({ path: at("message"), problem: "is empty", expected: "the prompt the job runs" });
    }
    for (const field of ["name", "message"] as const) {
      const text = s?.[field];
      const problem = typeof text === "string" && text.trim() !== "" ? textProblem(text, JOB_TEXT) : undefined;
      if (problem)
        issues.push({
          path: at(field),
          problem,
          expected: "text without NUL or control characters or surrounding whitespace",
        });
    }
    if (s?.timezone !== undefined && !isTimezone(s.timezone)) {
      issues.push({
        path: at("timezone"),
        problem: `${JSON.stringify(s.timezone)} is not a known IANA timezone`,
        expected: 'a name like "Europe/Berlin" or "America/New_York"',
      });
    }
    if (s?.deliverTo !== undefined) issues.push(...deliveryIssues(s.deliverTo, at("deliverTo")));
    if (s?.session !== undefined && s.session !== "isolated") {
      issues.push({
        path: at("session"),
        problem:
          s.session === "main"
            ? '"main" is refused by OpenClaw for a job that runs a prompt (it runs only a system event or a script there)'
            : `${JSON.stringify(s.session)} is not a session kind`,
        expected: '"isolated" (the default)',
      });
    }
  });
  if (issues.length === 0) {
    // The sync step gets the whole list as one environment variable.
    const bytes = Buffer.byteLength(
      `OPENCLAW_SCHEDULES=${JSON.stringify(
        renderDeclaredJobs(schedules, {
          timezone: "America/Argentina/ComodRivadavia",
          delivery: { channel: "telegram", to: "9".repeat(16) },
        }),
      )}`,
    );
    if (bytes >= MAX_ENV_STRING_BYTES)
      issues.push({
        path,
        problem: `take ${bytes} bytes as the sync step's environment, more than Linux's limit of ${MAX_ENV_STRING_BYTES} for one variable`,
        expected: "shorter messages (all jobs together well under 128 KiB)",
      });
  }
  return issues;
}

/** Every problem in one job's `deliverTo`, under `path`. */
export function deliveryIssues(d: ScheduleDelivery, path: string): ArgIssue[] {
  const issues = unknownKeyIssues(path, d, DELIVERY_KEYS);
  if (typeof d !== "object" || d === null) return [{ path, problem: "is not an object", expected: "{ channel, to }" }];
  if (typeof d.channel !== "string" || !CHANNEL_ID.test(d.channel)) {
    issues.push({
      path: `${path}.channel`,
      problem: typeof d.channel === "string" ? `${JSON.stringify(d.channel)} is not a channel id` : "is missing",
      expected: 'a channel id such as "telegram", "discord", "slack" or "whatsapp"',
    });
    return issues;
  }
  const target = DELIVERY_TARGETS[d.channel];
  const to: unknown = d.to;
  const problem =
    typeof to !== "string" || to === ""
      ? "is missing"
      : target
        ? target.form.test(to)
          ? undefined
          : `${JSON.stringify(to)} is not a ${d.channel} recipient`
        : ANY_TARGET.test(to)
          ? undefined
          : "has spaces or control characters, or is longer than 200 characters";
  if (problem)
    issues.push({
      path: `${path}.to`,
      problem,
      expected:
        target?.expected ?? "the recipient in that channel's own target syntax, one word of at most 200 characters",
    });
  return issues;
}

/**
 * Jobs whose `deliverTo` names a channel not in `channels` (the ones the
 * deployment's channel arguments configure, set up before the schedule sync
 * runs), each naming the job: OpenClaw refuses a job for a channel the
 * running gateway has not configured. `later` are the channels configured
 * only after the sync (by the `openclawConfig` patch, applied last).
 */
export function unconfiguredDeliveryIssues(
  schedules: readonly Schedule[],
  channels: readonly string[],
  path: string,
  later: readonly string[] = [],
): ArgIssue[] {
  return schedules.flatMap((s, i) => {
    const channel = s?.deliverTo?.channel;
    if (typeof channel !== "string" || channels.includes(channel)) return [];
    return [
      {
        path: `${path}[${i}] ("${s.name}").deliverTo.channel`,
        problem: later.includes(channel)
          ? `is "${channel}", a channel only openclawConfig configures, which is applied after the schedules are synced`
          : `is "${channel}", a channel this deployment does not configure`,
        expected: `one of ${channels.map((c) => `"${c}"`).join(", ") || "the channels set by the telegram, discord, slack and whatsapp arguments"}`,
      },
    ];
  });
}

/**
 * Jobs with no `deliverTo` when there is no default recipient (without
 * Telegram), each naming the job.
 */
export function undeliveredIssues(schedules: readonly Schedule[], path: string): ArgIssue[] {
  return schedules.flatMap((s, i) =>
    s?.deliverTo === undefined
      ? [
          {
            path: `${path}[${i}]${typeof s?.name === "string" && s.name.trim() ? ` ("${s.name}")` : ""}.deliverTo`,
            problem: "is missing, and there is no Telegram user to announce to by default",
            expected: '{ channel, to }, e.g. { channel: "discord", to: "user:123456789012345678" }',
          },
        ]
      : [],
  );
}

/** The list the host's sync step makes the gateway's jobs equal to. */
export function renderDeclaredJobs(
  schedules: readonly Schedule[],
  opts: { readonly timezone: string; readonly delivery?: ScheduleDelivery },
): DeclaredJob[] {
  return schedules.map((s) => {
    const delivery = s.deliverTo ?? opts.delivery;
    // Checked at construction (undeliveredIssues): only a caller that skipped it gets here.
    if (!delivery) throw new Error(`job "${s.name}" has no deliverTo and there is no default recipient`);
    return {
      key: `${DECLARATION_KEY_PREFIX}${slug(s.name)}`,
      name: s.name,
      cron: s.cron,
      tz: s.timezone ?? opts.timezone,
      session: "isolated",
      message: s.message,
      channel: delivery.channel,
      to: delivery.to,
    };
  });
}

/** The next `count` run times of a job, as ISO strings with offset in its timezone (for the plan). */
export function nextRuns(cron: string, timezone: string, count = 3, from = new Date()): string[] {
  const job = new Cron(cron, { timezone, paused: true });
  const runs = job.nextRuns(count, from);
  const fmt = new Intl.DateTimeFormat("sv-SE", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
  return runs.map((d) => fmt.format(d));
}

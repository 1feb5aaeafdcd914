import { describe, expect, it } from "vitest";
import {
  cronProblem,
  DECLARATION_KEY_PREFIX,
  DEFAULT_SCHEDULES,
  isTimezone,
  nextRuns,
  renderDeclaredJobs,
  scheduleIssues,
  unconfiguredDeliveryIssues,
  type Schedule,
} from "./schedules.js";
import { DISCORD, RENDER_SECRETS, SLACK, base, full } from "../../test/fixtures.js";
import { renderDeployment } from "../render.js";

describe("cronProblem", () => {
  it.each(["30 9 * * *", "0 22 * * 1-5", "*/15 * * * *"])("accepts %s", (cron) =>
    expect(cronProblem(cron)).toBeUndefined(),
  );
  it.each([
    ["", "is empty"],
    [" 30 9 * * *", "has leading or trailing spaces"],
    ["0 0 31 2 *", "never fires (no upcoming run time)"],
  ])("refuses %j: %s", (cron, problem) => expect(cronProblem(cron)).toBe(problem));
  it("refuses a field out of range in croner's words", () =>
    expect(cronProblem("61 * * * *")).toMatch(/^is not a valid cron expression \(/));
});

describe("isTimezone", () => {
  it("knows IANA names and nothing padded or invented", () => {
    expect(isTimezone("Europe/Berlin")).toBe(true);
    expect(isTimezone("America/New_York")).toBe(true);
    expect(isTimezone(" Europe/Berlin")).toBe(false);
    expect(isTimezone("Mars/Olympus_Mons")).toBe(false);
  });
});

describe("scheduleIssues", () => {
  it("finds nothing wrong with the default jobs", () => expect(scheduleIssues(DEFAULT_SCHEDULES)).toEqual([]));

  it("treats names that differ only in case and punctuation as duplicates, since their keys would collide", () => {
    const issues = scheduleIssues([
      { name: "Morning Digest", cron: "0 8 * * *", message: "a" },
      { name: "morning-digest!", cron: "0 9 * * *", message: "b" },
    ]);
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'telegram.schedules[1] ("morning-digest!").name',
        problem: '"morning-digest!" duplicates the name of job 0',
      }),
    ]);
  });

  it("names an unknown key, such as `at` written for `cron`, and the missing cron", () => {
    const issues = scheduleIssues([{ name: "Digest", at: "09:30", message: "m" } as never]);
    expect(issues.map((i) => i.path)).toEqual(["telegram.schedules[0].at", 'telegram.schedules[0] ("Digest").cron']);
  });
});

describe("renderDeclaredJobs", () => {
  it("refuses a job with no recipient (construction checks this first)", () =>
    expect(() => renderDeclaredJobs([{ name: "Lost", cron: "0 21 * * *", message: "m" }], { timezone: "UTC" })).toThrow(
      /job "Lost" has no deliverTo and there is no default recipient/,
    ));

  it("keys each job by its slug, fills in the timezone and session, and announces to the user", () => {
    const [job] = renderDeclaredJobs([{ name: "Evening Review!", cron: "0 21 * * *", message: "review" }], {
      timezone: "Europe/Berlin",
      delivery: { channel: "telegram", to: "42" },
    });
    expect(job).toEqual({
      key: `${DECLARATION_KEY_PREFIX}evening-review`,
      name: "Evening Review!",
      cron: "0 21 * * *",
      tz: "Europe/Berlin",
      session: "isolated",
      message: "review",
      channel: "telegram",
      to: "42",
    });
  });
});

describe("deliverTo: a job to another channel or recipient", () => {
  const job = (deliverTo: unknown): Schedule => ({
    name: "Digest",
    cron: "0 8 * * *",
    message: "m",
    deliverTo: deliverTo as Schedule["deliverTo"],
  });

  it("goes where it says; a job without it still goes to the Telegram user", () => {
    const jobs = renderDeclaredJobs(
      [job({ channel: "discord", to: "user:123456789012345678" }), { name: "Mine", cron: "0 9 * * *", message: "m" }],
      { timezone: "UTC", delivery: { channel: "telegram", to: "42" } },
    );
    expect(jobs.map((j) => [j.channel, j.to])).toEqual([
      ["discord", "user:123456789012345678"],
      ["telegram", "42"],
    ]);
  });

  it.each([
    ["telegram", "123456789"],
    ["telegram", "-1001234567890"],
    ["discord", "user:123456789012345678"],
    ["discord", "channel:323456789012345678"],
    ["slack", "user:U0123ABCDE"],
    ["slack", "channel:C0123ABCDE"],
    ["mattermost", "channel:town-square"],
  ])("accepts %s %s", (channel, to) => expect(scheduleIssues([job({ channel, to })])).toEqual([]));

  it.each<[string, unknown, RegExp]>([
    [
      "a Discord id without its kind",
      { channel: "discord", to: "123456789012345678" },
      /\.to: .* is not a discord recipient; expected "user:<user id>"/,
    ],
    ["a Slack channel by name", { channel: "slack", to: "channel:#general" }, /\.to: .* is not a slack recipient/],
    ["a Telegram user name", { channel: "telegram", to: "@someone" }, /\.to: "@someone" is not a telegram recipient/],
    ["no recipient", { channel: "discord" }, /\.to: is missing/],
    ["no channel", { to: "user:123456789012345678" }, /\.channel: is missing/],
    ["a channel that is not an id", { channel: "Discord!", to: "x" }, /\.channel: "Discord!" is not a channel id/],
    [
      "an unknown key",
      { channel: "slack", to: "user:U0123ABCDE", thread: "1" },
      /deliverTo\.thread: is not an argument/,
    ],
    ["a newline in another channel's target", { channel: "mattermost", to: "a\nb" }, /\.to: /],
  ])("refuses %s, naming the job", (_label, deliverTo, message) => {
    const issues = scheduleIssues([job(deliverTo)]);
    expect(issues.map((i) => `${i.path}: ${i.problem}; expected ${i.expected}`).join("\n")).toMatch(message);
    expect(issues[0]!.path).toMatch(/^telegram\.schedules\[0\] \("Digest"\)\.deliverTo/);
  });

  it("names a channel the deployment does not configure", () => {
    const jobs = [job({ channel: "slack", to: "user:U0123ABCDE" })];
    expect(unconfiguredDeliveryIssues(jobs, ["telegram", "slack"], "telegram.schedules")).toEqual([]);
    expect(unconfiguredDeliveryIssues(jobs, ["telegram"], "telegram.schedules")).toEqual([
      {
        path: 'telegram.schedules[0] ("Digest").deliverTo.channel',
        problem: 'is "slack", a channel this deployment does not configure',
        expected: 'one of "telegram"',
      },
    ]);
  });

  it("in a deployment: to Discord and Slack when they are configured, refused when one is not", () => {
    const schedules = [
      job({ channel: "discord", to: "channel:323456789012345678" }),
      { ...job({ channel: "slack", to: "user:U0123ABCDE" }), name: "Slack digest" },
    ];
    const telegram = { ...full.telegram!, schedules };
    const r = renderDeployment({ ...full, telegram }, RENDER_SECRETS);
    const declared = JSON.parse(r.steps.find((x) => x.name === "sync-schedules")!.environment.OPENCLAW_SCHEDULES!);
    expect(declared.map((j: { channel: string; to: string }) => `${j.channel} ${j.to}`)).toEqual([
      "discord channel:323456789012345678",
      "slack user:U0123ABCDE",
    ]);
    expect(() => renderDeployment({ ...base, telegram, discord: DISCORD, slack: undefined }, RENDER_SECRETS)).toThrow(
      /telegram\.schedules\[1\] \("Slack digest"\)\.deliverTo\.channel: is "slack", a channel this deployment does not configure/,
    );
    expect(() => renderDeployment({ ...base, telegram, discord: DISCORD, slack: SLACK }, RENDER_SECRETS)).not.toThrow();
  });

  it("refuses a channel only openclawConfig configures (applied after the sync), and `defaults`, which is no channel", () => {
    const to = (channel: string) => ({
      ...full.telegram!,
      schedules: [job({ channel, to: "channel:town-square" })],
    });
    const openclawConfig = {
      patch: { channels: { mattermost: { enabled: true }, defaults: { groupPolicy: "allowlist" } } },
    };
    expect(() => renderDeployment({ ...base, telegram: to("mattermost"), openclawConfig }, RENDER_SECRETS)).toThrow(
      /deliverTo\.channel: is "mattermost", a channel only openclawConfig configures, which is applied after the schedules are synced; expected one of "telegram"/,
    );
    expect(() => renderDeployment({ ...base, telegram: to("defaults"), openclawConfig }, RENDER_SECRETS)).toThrow(
      /deliverTo\.channel: is "defaults", a channel this deployment does not configure/,
    );
  });
});

describe("nextRuns", () => {
  it("gives run times in the job's own timezone, across a DST change", () => {
    expect(nextRuns("30 9 * * *", "Europe/Berlin", 2, new Date("2026-10-24T12:00:00Z"))).toEqual([
      "2026-10-25 09:30 CET",
      "2026-10-26 09:30 CET",
    ]);
    expect(nextRuns("30 9 * * *", "Europe/Berlin", 1, new Date("2026-10-24T06:00:00Z"))).toEqual([
      "2026-10-24 09:30 CEST",
    ]);
  });
});

describe("job text the host could not carry, or that would never converge", () => {
  const job = (over: Record<string, unknown>) => ({
    name: "Digest",
    cron: "0 8 * * *",
    message: "Summarise.",
    ...over,
  });
  const problems = (over: Record<string, unknown>) =>
    scheduleIssues([job(over) as never]).map((i) => `${i.path}: ${i.problem}`);

  it.each([
    [{ message: "Summarise.\n" }, /\.message: has leading or trailing whitespace/],
    [{ name: " Digest" }, /\.name: has leading or trailing whitespace/],
    [{ name: "Di\u0000gest" }, /\.name: contains a NUL byte/],
    [{ message: "ring \u0007 the bell" }, /\.message: contains a control character/],
    [{ session: "main" }, /\.session: "main" is refused by OpenClaw for a job that runs a prompt/],
  ])("refuses %j", (over, problem) => expect(problems(over).join("\n")).toMatch(problem));

  // The sync passes them as --name=… and --message=…, where OpenClaw's own
  // pre-scans of its argv cannot see them (the real-OpenClaw tier proves it).
  it.each([
    { message: "--dev" },
    { message: "--profile=work" },
    { message: "--" },
    { name: "--container c" },
    { name: "-h" },
    { message: "Summarise.\nThen list the --profiles." },
  ])("accepts job text that looks like OpenClaw's own options, and inner line breaks: %j", (over) =>
    expect(problems(over)).toEqual([]),
  );

  it("refuses a list too large for the one environment variable the sync step gets", () => {
    const big = Array.from({ length: 4 }, (_, i) => job({ name: `Job ${i}`, message: "x".repeat(40_000) }));
    expect(scheduleIssues(big as never)).toEqual([
      expect.objectContaining({
        path: "telegram.schedules",
        problem: expect.stringMatching(/more than Linux's limit of 131072/),
      }),
    ]);
    expect(scheduleIssues(big.slice(0, 2) as never)).toEqual([]);
  });
});

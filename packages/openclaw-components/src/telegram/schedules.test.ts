import { describe, expect, it } from "vitest";
import {
  cronProblem,
  DECLARATION_KEY_PREFIX,
  DEFAULT_SCHEDULES,
  isTimezone,
  nextRuns,
  renderDeclaredJobs,
  scheduleIssues,
} from "./schedules.js";

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
  it("keys each job by its slug, fills in the timezone and session, and announces to the user", () => {
    const [job] = renderDeclaredJobs([{ name: "Evening Review!", cron: "0 21 * * *", message: "review" }], {
      userId: "42",
      timezone: "Europe/Berlin",
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

/**
 * Scheduled jobs without Telegram: the deployment's `schedules`, the
 * `ScheduledJobs` and `TelegramChannel` components on their own, and the
 * state a stack from before them keeps (aliases).
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { DISCORD, SENTINELS } from "../../test/fixtures.js";
import { renderDeployment } from "../render.js";
import { installMocks, settle, valueOf, type MockRecorder } from "../testing/index.js";
import { Gateway, Host, OpenClawDeployment, ScheduledJobs, TelegramChannel } from "../index.js";
import type { OpenClawDeploymentArgs } from "../index.js";
import { DECLARATION_KEY_PREFIX, DEFAULT_SCHEDULES } from "./schedules.js";

let mocks: MockRecorder;
beforeAll(async () => {
  mocks = await installMocks();
});

const SECRETS = { adminPublicKey: "ssh-ed25519 AAAA", gatewayToken: "t".repeat(48), deployPrivateKey: "k" };
const base = { tailscaleAuthKey: SENTINELS.tailscaleAuthKey, claudeSetupToken: SENTINELS.claudeSetupToken };
const discord = { ...DISCORD, botToken: SENTINELS.discordBotToken };
const digest = { name: "Digest", cron: "0 8 * * *", message: "What is on today?" };
const toDiscord = { channel: "discord", to: "user:123456789012345678" };
const render = (args: Record<string, unknown>) => renderDeployment(args as never, SECRETS);
const jobsOf = (args: Record<string, unknown>) => render(args).schedules.map((j) => [j.name, j.channel, j.to]);

describe("schedules: jobs without Telegram", () => {
  it("a Discord-only deployment runs its jobs, announced where each says; no Telegram step but its removal", () => {
    const r = render({ ...base, discord, schedules: [{ ...digest, deliverTo: toDiscord }] });
    expect(r.schedules).toEqual([
      {
        key: `${DECLARATION_KEY_PREFIX}digest`,
        name: "Digest",
        cron: "0 8 * * *",
        tz: "Europe/Berlin",
        session: "isolated",
        message: "What is on today?",
        channel: "discord",
        to: "user:123456789012345678",
      },
    ]);
    const names = r.steps.map((s) => s.name);
    expect(names).not.toContain("configure-telegram");
    // After every channel, Telegram's removal included.
    expect(names.indexOf("sync-schedules")).toBe(names.indexOf("remove-telegram") + 1);
    expect(names.indexOf("sync-schedules")).toBeGreaterThan(names.indexOf("configure-discord"));
    expect(JSON.parse(r.steps.find((s) => s.name === "verify")!.environment.OPENCLAW_VERIFY_SCHEDULE_KEYS!)).toEqual([
      `${DECLARATION_KEY_PREFIX}digest`,
    ]);
  });

  it("with Telegram, `schedules` replaces the default jobs and a job without deliverTo goes to the Telegram user", () => {
    const telegram = { botToken: SENTINELS.telegramBotToken, userId: "123456789" };
    expect(jobsOf({ ...base, telegram })).toEqual(DEFAULT_SCHEDULES.map((s) => [s.name, "telegram", "123456789"]));
    expect(
      jobsOf({ ...base, telegram, discord, schedules: [digest, { ...digest, name: "Out", deliverTo: toDiscord }] }),
    ).toEqual([
      ["Digest", "telegram", "123456789"],
      ["Out", "discord", "user:123456789012345678"],
    ]);
    // telegram.schedules, the older place, still works.
    expect(jobsOf({ ...base, telegram: { ...telegram, schedules: [digest] } })).toEqual([
      ["Digest", "telegram", "123456789"],
    ]);
  });

  it("no jobs: the sync still runs, with none declared, so the library's jobs go; verify checks no schedules", () => {
    const r = render({ ...base });
    const sync = r.steps.find((s) => s.name === "sync-schedules")!;
    expect(JSON.parse(sync.environment.OPENCLAW_SCHEDULES!)).toEqual([]);
    expect(r.steps.map((s) => s.name)).not.toContain("remove-schedules");
    expect(r.steps.find((s) => s.name === "verify")!.environment.OPENCLAW_VERIFY_SCHEDULE_KEYS).toBe("");
    // Telegram switched off with its jobs still written under it: they go with it, as before.
    expect(jobsOf({ ...base, telegram: { botToken: undefined, userId: "123", schedules: [digest] } })).toEqual([]);
  });

  it("schedulesTimezone sets the jobs' default timezone, with or without Telegram; telegram.timezone still does", () => {
    const tzOf = (args: Record<string, unknown>) => render(args).schedules.map((j) => j.tz);
    const job = { ...digest, deliverTo: toDiscord };
    expect(tzOf({ ...base, discord, schedules: [job] })).toEqual(["Europe/Berlin"]);
    expect(tzOf({ ...base, discord, schedules: [job], schedulesTimezone: "America/New_York" })).toEqual([
      "America/New_York",
    ]);
    // A job's own timezone still wins.
    expect(
      tzOf({ ...base, discord, schedules: [{ ...job, timezone: "UTC" }], schedulesTimezone: "Asia/Tokyo" }),
    ).toEqual(["UTC"]);
    const telegram = { botToken: SENTINELS.telegramBotToken, userId: "123456789" };
    expect(tzOf({ ...base, telegram, schedules: [digest], schedulesTimezone: "Asia/Tokyo" })).toEqual(["Asia/Tokyo"]);
    expect(tzOf({ ...base, telegram: { ...telegram, timezone: "UTC" }, schedules: [digest] })).toEqual(["UTC"]);
    expect(() =>
      render({ ...base, telegram: { ...telegram, timezone: "UTC" }, schedules: [digest], schedulesTimezone: "UTC" }),
    ).toThrow(/schedulesTimezone: is set together with telegram\.timezone; expected one default timezone/);
    expect(() => render({ ...base, discord, schedules: [job], schedulesTimezone: "Mars/Olympus" })).toThrow(
      /schedulesTimezone: "Mars\/Olympus" is not a known IANA timezone/,
    );
  });

  it("refuses a job with no recipient without Telegram, both lists at once, and a channel not configured, naming each", () => {
    expect(() => render({ ...base, discord, schedules: [digest] })).toThrow(
      /schedules\[0\] \("Digest"\)\.deliverTo: is missing, and there is no Telegram user to announce to by default; expected \{ channel, to \}/,
    );
    expect(() =>
      render({
        ...base,
        telegram: { botToken: SENTINELS.telegramBotToken, userId: "123456789", schedules: [digest] },
        schedules: [digest],
      }),
    ).toThrow(/schedules: is set together with telegram\.schedules; expected one list of jobs/);
    expect(() => render({ ...base, schedules: [{ ...digest, deliverTo: toDiscord }] })).toThrow(
      /schedules\[0\] \("Digest"\)\.deliverTo\.channel: is "discord", a channel this deployment does not configure/,
    );
  });
});

describe("the deployment's children, and the state a stack from before them keeps", () => {
  it("Telegram's child is a TelegramChannel aliased to its earlier TelegramSchedules type; the sync step to its two earlier places", async () => {
    const args: OpenClawDeploymentArgs = {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
      serverName: "sj-vps",
      telegram: { botToken: pulumi.secret(SENTINELS.telegramBotToken), userId: "123456789" },
    };
    const d = new OpenClawDeployment("sj", args);
    await valueOf(d.schedules.ready.id);
    await settle();
    expect(d.telegram).toBeInstanceOf(TelegramChannel);
    expect(mocks.byName("sj-telegram").type).toBe("openclaw:index:TelegramChannel");
    expect(mocks.byName("sj-schedules").type).toBe("openclaw:index:ScheduledJobs");
    const aliasesOf = (r: pulumi.Resource) =>
      Promise.all((r as unknown as { __aliases: pulumi.Output<string>[] }).__aliases.map((a) => valueOf(a)));
    const root = mocks.byName("sj").urn;
    const telegramBefore = root.replace(/::sj$/, "$openclaw:index:TelegramSchedules::sj-telegram");
    expect(await aliasesOf(d.telegram!)).toEqual([telegramBefore]);
    // Its configure-telegram step keeps its URN through the parent's alias (the engine derives a child's).
    expect(await aliasesOf(d.schedules.steps.syncSchedules)).toEqual(
      expect.arrayContaining([
        root.replace(/::sj$/, "$openclaw:index:TelegramSchedules$command:remote:Command::sj-telegram-sync-schedules"),
        root.replace(/::sj$/, "$command:remote:Command::sj-remove-schedules"),
      ]),
    );
    // It waits for the channel it announces on.
    expect(mocks.byName("sj-schedules-sync-schedules").dependsOn).toContain(
      mocks.byName("sj-telegram-configure-telegram").urn,
    );
  });
});

describe("ScheduledJobs and TelegramChannel on their own", () => {
  const gateway = (name: string) =>
    new Gateway(`${name}-gw`, {
      host: new Host(`${name}-host`, {
        tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
        firewallIds: [],
        serverName: name,
      }),
      claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
    });

  it("compose by hand: the channel, then the jobs announced there by default", async () => {
    const gw = gateway("solo-sj");
    const channel = new TelegramChannel("solo-sj-telegram", {
      gateway: gw,
      botToken: pulumi.secret(SENTINELS.telegramBotToken),
      userId: "123456789",
    });
    const jobs = new ScheduledJobs("solo-sj-jobs", {
      gateway: gw,
      schedules: [digest],
      timezone: "UTC",
      defaultDelivery: { channel: "telegram", to: pulumi.output("123456789") },
      runAfter: [channel.ready],
    });
    expect(await valueOf(jobs.jobs)).toEqual([
      expect.objectContaining({ name: "Digest", tz: "UTC", channel: "telegram", to: "123456789" }),
    ]);
    await settle();
    expect(mocks.byName("solo-sj-jobs-sync-schedules").dependsOn).toContain(
      mocks.byName("solo-sj-telegram-configure-telegram").urn,
    );
    expect(mocks.step("solo-sj-telegram-configure-telegram").stdin).toContain(SENTINELS.telegramBotToken);
  });

  it("refuses a bad default recipient and a job with none, naming each", () => {
    expect(
      () =>
        new ScheduledJobs("solo-sj-bad", {
          gateway: gateway("solo-sj-bad"),
          schedules: [digest],
          defaultDelivery: { channel: "discord", to: "123" },
        }),
    ).toThrow(/defaultDelivery\.to: "123" is not a discord recipient/);
    expect(() => new ScheduledJobs("solo-sj-none", { gateway: gateway("solo-sj-none"), schedules: [digest] })).toThrow(
      /schedules\[0\] \("Digest"\)\.deliverTo: is missing/,
    );
  });
});

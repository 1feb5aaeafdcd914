import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { fullArgs, SENTINELS } from "../test/fixtures.js";
import { installMocks, settle, valueOf, type MockRecorder } from "./testing/index.js";
import {
  DEFAULT_OPENCLAW_VERSION,
  OpenClawArgsError,
  OpenClawDeployment,
  type OpenClawDeploymentArgs,
} from "./index.js";
import { DECLARATION_KEY_PREFIX } from "./schedules/schedules.js";

/** The value at a dot path of a JSON object. */
function at(o: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
}

let mocks: MockRecorder;
let d: OpenClawDeployment;

beforeAll(async () => {
  mocks = await installMocks();
  d = new OpenClawDeployment("full", fullArgs());
  await valueOf(d.workspaceDeployPublicKey);
  await settle();
});

describe("a deployment with every component", () => {
  it("runs the components' steps in one order: gateway, sandbox, Discord, Slack, WhatsApp, Telegram, the jobs (which announce on them), workspace", () => {
    const steps = mocks.steps().filter((s) => s.resourceName.startsWith("full-"));
    expect(steps.map((s) => s.resourceName.replace(/^full-/, ""))).toEqual([
      "gateway-wait-for-host",
      "gateway-install-openclaw",
      "gateway-configure-gateway",
      "gateway-start-gateway",
      "sandbox-install-docker",
      "sandbox-build-sandbox-image",
      "sandbox-configure-sandbox",
      "discord-install-discord-plugin",
      "discord-configure-discord",
      "slack-install-slack-plugin",
      "slack-configure-slack",
      "whatsapp-install-whatsapp-plugin",
      "whatsapp-configure-whatsapp",
      "telegram-configure-telegram",
      "schedules-sync-schedules",
      "workspace-setup-workspace",
      "workspace-install-sync-timer",
      "backups-install-backup-timer",
      "config-apply-openclaw-config",
      "verify",
    ]);
    // Each step waits for the one before it, across components.
    for (let i = 1; i < steps.length; i++)
      expect(steps[i]!.resource.dependsOn, steps[i]!.resourceName).toContain(steps[i - 1]!.resource.urn);
    const [server] = mocks.byType("Server").filter((s) => s.name === "full-host-server");
    for (const s of steps) {
      expect(s.resource.deletedWith).toBe(server!.urn);
      expect(s.host).toBe("openclaw-vps.tail1234.ts.net");
    }
  });

  it("declares the four default jobs in Europe/Berlin, isolated, announced to the user", () => {
    const jobs = JSON.parse(mocks.step("full-schedules-sync-schedules").environment.OPENCLAW_SCHEDULES!);
    expect(jobs).toEqual([
      {
        key: `${DECLARATION_KEY_PREFIX}morning-digest`,
        name: "Morning Digest",
        cron: "30 9 * * *",
        tz: "Europe/Berlin",
        session: "isolated",
        message: "Good morning! Summarize what needs my attention today.",
        channel: "telegram",
        to: "123456789",
      },
      {
        key: `${DECLARATION_KEY_PREFIX}evening-review`,
        name: "Evening Review",
        cron: "30 19 * * *",
        tz: "Europe/Berlin",
        session: "isolated",
        message: "Evening review. What was accomplished? What is pending?",
        channel: "telegram",
        to: "123456789",
      },
      {
        key: `${DECLARATION_KEY_PREFIX}night-shift`,
        name: "Night Shift",
        cron: "0 23 * * *",
        tz: "Europe/Berlin",
        session: "isolated",
        message: "Night shift. Review notes, organize, triage, work through tasks. Prepare morning summary.",
        channel: "telegram",
        to: "123456789",
      },
      {
        key: `${DECLARATION_KEY_PREFIX}weekly-planning`,
        name: "Weekly Planning",
        cron: "0 18 * * 0",
        tz: "Europe/Berlin",
        session: "isolated",
        message: "Weekly planning. Review past week, plan upcoming week priorities.",
        channel: "telegram",
        to: "123456789",
      },
    ]);
  });

  it("applies allowFrom as a number array in the same patch as dmPolicy, and before it", () => {
    const patch = JSON.parse(mocks.step("full-telegram-configure-telegram").stdin!);
    expect(patch.channels.telegram).toEqual({
      enabled: true,
      botToken: SENTINELS.telegramBotToken,
      allowFrom: [123456789],
      dmPolicy: "allowlist",
    });
    expect(Object.keys(patch.channels.telegram).indexOf("allowFrom")).toBeLessThan(
      Object.keys(patch.channels.telegram).indexOf("dmPolicy"),
    );
  });

  it("configures the sandbox with the documented defaults", () => {
    const env = mocks.step("full-sandbox-configure-sandbox").environment;
    expect(JSON.parse(env.OPENCLAW_CONFIG_PATCH!)).toEqual({
      agents: {
        defaults: {
          sandbox: {
            mode: "all",
            workspaceAccess: "rw",
            docker: { network: "bridge", image: "openclaw-sandbox-custom:latest" },
          },
        },
      },
    });
    const build = mocks.step("full-sandbox-build-sandbox-image").environment;
    expect(build.OPENCLAW_SANDBOX_IMAGE).toBe("openclaw-sandbox-custom:latest");
    expect(build.OPENCLAW_SANDBOX_DOCKERFILE).toMatch(/\nUSER 1000:1000\n/);
    expect(
      build
        .OPENCLAW_SANDBOX_DOCKERFILE!.trimEnd()
        .split("\n")
        .filter((l) => /^USER /.test(l))
        .pop(),
    ).toBe("USER 1000:1000");
  });

  it("keeps the bot token, the deploy key and openclawConfig's secrets in secret stdin only", async () => {
    const deployKey = (await valueOf(d.workspaceSync.deployKey.privateKeyOpenssh)).trim();
    const gatewayToken = await valueOf(d.gatewayToken);
    const secrets = [
      SENTINELS.tailscaleAuthKey,
      SENTINELS.claudeSetupToken,
      SENTINELS.telegramBotToken,
      SENTINELS.openclawConfigSecret,
      SENTINELS.discordBotToken,
      SENTINELS.slackBotToken,
      SENTINELS.slackAppToken,
      SENTINELS.openaiApiKey,
      SENTINELS.openrouterApiKey,
      deployKey,
      (await valueOf(d.workspaceSync.agentDeployKeys.research!.privateKeyOpenssh)).trim(),
      gatewayToken,
    ];
    for (const { resource, path, value } of mocks.plainStrings()) {
      for (const secret of secrets) expect(value.includes(secret), `${resource}.${path}`).toBe(false);
    }
    for (const s of mocks.steps()) {
      for (const secret of secrets)
        expect(s.command.includes(secret) || JSON.stringify(s.environment).includes(secret), s.resourceName).toBe(
          false,
        );
    }
    expect(mocks.userData("full-host-server")).not.toContain(SENTINELS.telegramBotToken);
    const telegram = mocks.step("full-telegram-configure-telegram");
    expect(telegram.stdin).toContain(SENTINELS.telegramBotToken);
    expect(telegram.resource.secretPaths).toContain("stdin");
    expect(telegram.logging).toBe("none");
    const setup = mocks.step("full-workspace-setup-workspace");
    // The main workspace's key and the extra agent's own, as one JSON document.
    const agentKey = await valueOf(d.workspaceSync.agentDeployKeys.research!.privateKeyOpenssh);
    expect(JSON.parse(setup.stdin!)).toEqual({ main: `${deployKey}\n`, agents: { research: agentKey } });
    expect(agentKey).not.toBe(`${deployKey}\n`);
    expect(setup.resource.secretPaths).toContain("stdin");
    expect(setup.logging).toBe("none");
    const gateway = mocks.step("full-gateway-configure-gateway");
    const [token, keys] = gateway.stdin!.split("\n");
    expect(token).toBe(SENTINELS.claudeSetupToken);
    expect(JSON.parse(keys!)).toEqual({ openai: SENTINELS.openaiApiKey, openrouter: SENTINELS.openrouterApiKey });
    expect(gateway.environment.OPENCLAW_MODEL_AUTH).toBe("anthropic:setup-token openai:api-key openrouter:api-key");
    // verify checks that OpenClaw holds each of them.
    expect(mocks.step("full-verify").environment.OPENCLAW_VERIFY_MODEL_PROVIDERS).toBe("anthropic openai openrouter");
    expect(gateway.resource.secretPaths).toContain("stdin");
    expect(gateway.logging).toBe("none");
    // Discord: the bot token on the channel step's stdin only, its plugin pinned to OpenClaw's version.
    const discord = mocks.step("full-discord-configure-discord");
    expect(JSON.parse(discord.stdin!).channels.discord).toMatchObject({
      token: SENTINELS.discordBotToken,
      allowFrom: ["123456789012345678"],
      dmPolicy: "allowlist",
      groupPolicy: "allowlist",
    });
    expect(discord.resource.secretPaths).toContain("stdin");
    expect(discord.logging).toBe("none");
    expect(mocks.step("full-discord-install-discord-plugin").environment).toMatchObject({
      OPENCLAW_PLUGIN_PACKAGE: "@openclaw/discord",
      OPENCLAW_PLUGIN_VERSION: DEFAULT_OPENCLAW_VERSION,
    });
    // Slack: both tokens on the channel step's stdin only, in Socket Mode.
    const slack = mocks.step("full-slack-configure-slack");
    expect(JSON.parse(slack.stdin!).channels.slack).toMatchObject({
      mode: "socket",
      botToken: SENTINELS.slackBotToken,
      appToken: SENTINELS.slackAppToken,
      allowFrom: ["U0123ABCDE"],
      dmPolicy: "allowlist",
      groupPolicy: "allowlist",
    });
    expect(slack.resource.secretPaths).toContain("stdin");
    expect(slack.logging).toBe("none");
    expect(mocks.step("full-slack-install-slack-plugin").environment).toMatchObject({
      OPENCLAW_PLUGIN_PACKAGE: "@openclaw/slack",
      OPENCLAW_PLUGIN_VERSION: DEFAULT_OPENCLAW_VERSION,
    });
    // WhatsApp: nothing secret (the account is linked on the host); direct chats from the listed numbers.
    const whatsapp = mocks.step("full-whatsapp-configure-whatsapp");
    expect(JSON.parse(whatsapp.stdin!).channels.whatsapp).toEqual({
      enabled: true,
      dmPolicy: "allowlist",
      allowFrom: ["+4915123456789"],
      groupPolicy: "disabled",
    });
    expect(mocks.step("full-whatsapp-install-whatsapp-plugin").environment).toMatchObject({
      OPENCLAW_PLUGIN_PACKAGE: "@openclaw/whatsapp",
      OPENCLAW_PLUGIN_VERSION: DEFAULT_OPENCLAW_VERSION,
    });
    expect(mocks.step("full-verify").environment.OPENCLAW_VERIFY_CHANNELS).toBe(
      '["discord","slack","whatsapp","telegram"]',
    );
    const patch = mocks.step("full-config-apply-openclaw-config");
    expect(at(JSON.parse(patch.stdin!), "models.providers.litellm.apiKey")).toBe(SENTINELS.openclawConfigSecret);
    // An extra agent bound to Discord: shown in the plan's environment, the patch's secret as a placeholder.
    expect(JSON.parse(patch.environment.OPENCLAW_CONFIG_PATCH_SHOWN!)).toMatchObject({
      models: { providers: { litellm: { apiKey: "<secret:openclawConfig.secrets.litellmApiKey>" } } },
      agents: {
        entries: {
          research: { model: { primary: "openai/gpt-5.5" }, sandbox: { workspaceAccess: "ro" } },
        },
      },
      bindings: [{ agentId: "research", match: { channel: "discord" } }],
    });
    expect(patch.resource.secretPaths).toContain("stdin");
    expect(patch.logging).toBe("none");
    // Every step with a secret stdin stores its output encrypted: the provider
    // keeps stdout/stderr in the state even with logging "none".
    const secretSteps = mocks.steps().filter((s) => s.resource.secretPaths.includes("stdin"));
    expect(secretSteps.map((s) => s.resourceName)).toEqual(
      expect.arrayContaining([
        "full-telegram-configure-telegram",
        "full-discord-configure-discord",
        "full-workspace-setup-workspace",
        "full-gateway-configure-gateway",
        "full-config-apply-openclaw-config",
      ]),
    );
    for (const s of secretSteps)
      expect(s.resource.additionalSecretOutputs, s.resourceName).toEqual(expect.arrayContaining(["stdout", "stderr"]));
    for (const s of mocks.steps().filter((x) => !x.resource.secretPaths.includes("stdin")))
      expect(s.resource.additionalSecretOutputs, s.resourceName).not.toContain("stdout");
    expect(await pulumi.isSecret(d.workspaceDeployPublicKey)).toBe(false);
    expect(await valueOf(d.workspaceDeployPublicKey)).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+$/);
  });

  it("points the workspace remote at the deploy-key-only SSH alias", () => {
    const env = mocks.step("full-workspace-setup-workspace").environment;
    expect(env.OPENCLAW_WORKSPACE_REMOTE).toBe("openclaw-workspace:someone/openclaw-workspace.git");
    expect(env.OPENCLAW_WORKSPACE_SSH_CONFIG).toContain("HostName github.com");
    expect(env.OPENCLAW_WORKSPACE_SSH_CONFIG).toContain("IdentitiesOnly yes");
    const timer = mocks.step("full-workspace-install-sync-timer").environment.OPENCLAW_SYNC_TIMER!;
    expect(timer).toContain("OnCalendar=hourly");
    expect(timer).toContain("Persistent=true");
    expect(timer).toMatch(/RandomizedDelaySec=\d+s/);
  });
});

describe("optional components", () => {
  it("creates no Telegram, sandbox or workspace steps without their inputs, only one that removes each; the jobs' sync removes the library's", async () => {
    const bare = new OpenClawDeployment("bare", {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
      serverName: "bare-vps",
      sandbox: { enabled: false },
      telegram: { botToken: undefined, userId: "123" },
    });
    await valueOf(bare.workspaceDeployPublicKey);
    await settle();
    const names = mocks
      .steps()
      .filter((s) => s.resourceName.startsWith("bare-"))
      .map((s) => s.resourceName);
    expect(names).toEqual([
      "bare-gateway-wait-for-host",
      "bare-gateway-install-openclaw",
      "bare-gateway-configure-gateway",
      "bare-gateway-start-gateway",
      "bare-remove-sandbox",
      "bare-remove-discord",
      "bare-remove-slack",
      "bare-remove-whatsapp",
      "bare-remove-telegram",
      // No jobs declared: the sync removes the ones the library made.
      "bare-schedules-sync-schedules",
      "bare-remove-workspace-sync",
      "bare-backups-install-backup-timer",
      "bare-config-apply-openclaw-config",
      "bare-verify",
    ]);
    expect(bare.telegram).toBeUndefined();
    expect(bare.sandbox).toBeUndefined();
    expect(mocks.byName("bare-workspace-deploy-key").type).toBe("tls:index/privateKey:PrivateKey");
  });
});

describe("validation of the component blocks", () => {
  const errorOf = (overrides: Partial<OpenClawDeploymentArgs>): string => {
    try {
      new OpenClawDeployment(`bad-${Math.random().toString(36).slice(2, 8)}`, fullArgs(overrides));
    } catch (e) {
      expect(e).toBeInstanceOf(OpenClawArgsError);
      return (e as Error).message;
    }
    throw new Error("expected construction to fail");
  };
  const tg = (extra: object) => ({
    telegram: { botToken: pulumi.secret(SENTINELS.telegramBotToken), userId: "123456789", ...extra },
  });
  const job = { name: "Job", cron: "0 9 * * *", message: "Do it." };

  it.each([
    [
      "minute 61",
      tg({ schedules: [{ ...job, cron: "61 9 * * *" }] }),
      /telegram\.schedules\[0\] \("Job"\)\.cron: "61 9 \* \* \*" is not a valid cron expression \(CronPattern: Invalid value for minute: 61\)/,
    ],
    [
      "wrong field count",
      tg({ schedules: [{ ...job, cron: "0 9 * *" }] }),
      /telegram\.schedules\[0\] \("Job"\)\.cron: "0 9 \* \*" is not a valid cron expression/,
    ],
    [
      "nonsense cron",
      tg({ schedules: [{ ...job, cron: "banana" }] }),
      /telegram\.schedules\[0\] \("Job"\)\.cron: "banana"/,
    ],
    [
      "unknown timezone",
      tg({ schedules: [{ ...job, timezone: "Mars/Olympus" }] }),
      /telegram\.schedules\[0\] \("Job"\)\.timezone: "Mars\/Olympus" is not a known IANA timezone/,
    ],
    [
      "unknown default timezone",
      tg({ timezone: "Europe/Atlantis" }),
      /telegram\.timezone: "Europe\/Atlantis" is not a known IANA timezone/,
    ],
    [
      "non-numeric user id",
      tg({ userId: "@someone" }),
      /telegram\.userId: "@someone" is not a numeric Telegram user id/,
    ],
    [
      "empty job name",
      tg({ schedules: [{ ...job, name: " " }] }),
      /telegram\.schedules\[0\]\.name: is empty; expected a job name/,
    ],
    [
      "duplicate job name",
      tg({ schedules: [job, { ...job, name: "job" }] }),
      /telegram\.schedules\[1\] \("job"\)\.name: "job" duplicates the name of job 0/,
    ],
    [
      "empty message",
      tg({ schedules: [{ ...job, message: "" }] }),
      /telegram\.schedules\[0\] \("Job"\)\.message: is empty/,
    ],
    [
      "bad bot token",
      { telegram: { botToken: "not-a-token", userId: "1" } },
      /telegram\.botToken: the value is not a Telegram bot token/,
    ],
    [
      "HTTPS repo URL",
      { workspaceSync: { repoUrl: "https://github.com/someone/ws.git" } },
      /workspaceSync\.repoUrl: "https:\/\/github.com\/someone\/ws.git" is not an SSH git URL; expected "git@github.com:owner\/repo.git"/,
    ],
    [
      "interval not a time span",
      { workspaceSync: { repoUrl: "git@github.com:a/b.git", interval: "hourly-ish" } },
      /workspaceSync\.interval: "hourly-ish" is not a systemd time span/,
    ],
    [
      "interval not dividing an hour",
      { workspaceSync: { repoUrl: "git@github.com:a/b.git", interval: "7min" } },
      /workspaceSync\.interval: "7min" does not divide an hour or a day evenly/,
    ],
    [
      "sandbox on the host network",
      { sandbox: { network: "host" } },
      /sandbox\.network: "host" would give sandboxes the host's network/,
    ],
    [
      "sandbox USER line",
      { sandbox: { dockerfileExtras: ["USER root"] } },
      /sandbox\.dockerfileExtras: .* has entry \[0\] that switches USER/,
    ],
    [
      "missing Dockerfile",
      { sandbox: { dockerfile: "./no/such/Dockerfile" } },
      /sandbox\.dockerfile: "\.\/no\/such\/Dockerfile" cannot be read \(ENOENT\)/,
    ],
  ] as const)("rejects %s, naming the field", (_label, overrides, message) => {
    const text = errorOf(overrides as Partial<OpenClawDeploymentArgs>);
    expect(text).toMatch(message);
    expect(text).not.toContain(SENTINELS.telegramBotToken);
    expect(text).not.toContain("not-a-token");
  });
});

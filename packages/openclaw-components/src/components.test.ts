import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { DISCORD, SENTINELS, SLACK } from "../test/fixtures.js";
import { installMocks, settle, valueOf, type MockRecorder } from "./testing/index.js";
import { DiscordChannel, Gateway, Host, Network, OpenClawDeployment, SlackChannel, WorkspaceSync } from "./index.js";

let mocks: MockRecorder;
const warnings: string[] = [];

beforeAll(async () => {
  mocks = await installMocks();
  vi.spyOn(pulumi.log, "warn").mockImplementation(async (msg: string) => {
    warnings.push(msg);
  });
});

describe("two deployments in one stack", () => {
  it("do not collide", async () => {
    const a = new OpenClawDeployment("alpha", {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
      serverName: "alpha-vps",
      tailnetDnsName: "tail1234.ts.net",
    });
    const b = new OpenClawDeployment("beta", {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
      serverName: "beta-vps",
      tailnetDnsName: "tail1234.ts.net",
      connectionHost: "100.100.1.2",
    });
    await Promise.all([valueOf(a.gateway.ready.id), valueOf(b.gateway.ready.id)]);
    await settle();
    const urns = mocks.resources.map((r) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
    const servers = mocks.byType("Server").map((s) => s.inputs.name);
    expect(servers).toEqual(expect.arrayContaining(["alpha-vps", "beta-vps"]));
    const firewalls = mocks.byType("Firewall").map((f) => f.inputs.name);
    expect(new Set(firewalls).size).toBe(firewalls.length);
    const keys = mocks.byType("SshKey").map((k) => k.inputs.name);
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      mocks
        .steps()
        .filter((s) => s.resourceName.startsWith("alpha-"))
        .every((s) => s.host === "alpha-vps.tail1234.ts.net"),
    ).toBe(true);
    expect(
      mocks
        .steps()
        .filter((s) => s.resourceName.startsWith("beta-"))
        .every((s) => s.host === "100.100.1.2"),
    ).toBe(true);
    expect(await valueOf(b.connectionHost)).toBe("100.100.1.2");
    expect(await valueOf(a.gatewayToken)).not.toBe(await valueOf(b.gatewayToken));
  });
});

describe("each component on its own", () => {
  it("composes Network, Host and Gateway by hand", async () => {
    const network = new Network("solo-net");
    const host = new Host("solo-host", {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      firewallIds: [network.firewallId],
      serverName: "solo",
      location: "hel1",
      serverType: "cax21",
      backups: false,
    });
    const gateway = new Gateway("solo-gw", {
      host,
      claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
      model: "anthropic/claude-sonnet-4-6",
    });
    await valueOf(gateway.ready.id);
    await settle();
    const server = mocks.byName("solo-host-server");
    expect(server.inputs).toMatchObject({ name: "solo", location: "hel1", serverType: "cax21", backups: false });
    expect(server.inputs.firewallIds).toEqual([Number(mocks.byName("solo-net-firewall").id)]);
    // No tailnet name: MagicDNS short name.
    expect(await valueOf(gateway.connectionHost)).toBe("solo");
    expect(mocks.byName("solo-gw").parent).toBe("");
    expect(mocks.byName("solo-gw-install-openclaw").parent).toBe(mocks.byName("solo-gw").urn);

    // Discord on that gateway: its plugin, then its channel, after the gateway's last step.
    const discord = new DiscordChannel("solo-discord", {
      ...DISCORD,
      botToken: pulumi.secret(SENTINELS.discordBotToken),
      gateway,
    });
    await valueOf(discord.ready.id);
    await settle();
    const plugin = mocks.step("solo-discord-install-discord-plugin");
    expect(plugin.resource.dependsOn).toContain(mocks.byName("solo-gw-start-gateway").urn);
    const channel = mocks.step("solo-discord-configure-discord");
    expect(channel.resource.dependsOn).toContain(plugin.resource.urn);
    expect(channel.resource.secretPaths).toContain("stdin");
    const botToken = pulumi.secret(SENTINELS.discordBotToken);
    expect(() => new DiscordChannel("solo-bad", { ...DISCORD, botToken, gateway, dmPolicy: "open" } as never)).toThrow(
      /DiscordChannel "solo-bad": invalid argument:\n {2}- dmPolicy: is not an argument this library knows/,
    );

    // Slack on the same gateway, after Discord: both tokens secret, on its channel step's stdin.
    const slack = new SlackChannel("solo-slack", {
      ...SLACK,
      botToken: pulumi.secret(SENTINELS.slackBotToken),
      appToken: pulumi.secret(SENTINELS.slackAppToken),
      gateway,
      runAfter: [discord.ready],
    });
    await valueOf(slack.ready.id);
    await settle();
    const slackPlugin = mocks.step("solo-slack-install-slack-plugin");
    expect(slackPlugin.resource.dependsOn).toContain(channel.resource.urn);
    const slackChannel = mocks.step("solo-slack-configure-slack");
    expect(slackChannel.resource.dependsOn).toContain(slackPlugin.resource.urn);
    expect(slackChannel.resource.secretPaths).toContain("stdin");
    expect(slackChannel.stdin).toContain(SENTINELS.slackAppToken);
    expect(
      () =>
        new SlackChannel("solo-bad-slack", {
          ...SLACK,
          botToken: pulumi.secret(SENTINELS.slackBotToken),
          appToken: undefined,
          gateway,
        } as never),
    ).toThrow(/SlackChannel "solo-bad-slack": invalid argument:\n {2}- appToken: is missing/);
  });

  it("WorkspaceSync with other agents' repositories: a deploy key each, their keys on secret stdin only", async () => {
    const host = new Host("ws-host", {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      firewallIds: [1],
      serverName: "ws",
    });
    const gateway = new Gateway("ws-gw", { host, claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken) });
    const agents = [
      { id: "research", workspace: "~/.openclaw/workspace-research", repoUrl: "git@github.com:me/research.git" },
      { id: "notes", workspace: "~/agents/notes", repoUrl: "git@github.com:me/notes.git" },
    ];
    const sync = new WorkspaceSync("ws-sync", { gateway, repoUrl: "git@github.com:me/main.git", agents });
    const publicKeys = await valueOf(sync.agentDeployPublicKeys);
    expect(Object.keys(publicKeys)).toEqual(["research", "notes"]);
    expect(await pulumi.isSecret(sync.agentDeployPublicKeys)).toBe(false);
    const mainKey = await valueOf(sync.deployPublicKey);
    for (const key of Object.values(publicKeys)) {
      expect(key).toMatch(/^ssh-ed25519 \S+$/);
      expect(key).not.toBe(mainKey);
    }
    await settle();
    const setup = mocks.step("ws-sync-setup-workspace");
    const privateKeys = {
      research: await valueOf(sync.agentDeployKeys.research!.privateKeyOpenssh),
      notes: await valueOf(sync.agentDeployKeys.notes!.privateKeyOpenssh),
    };
    expect(JSON.parse(setup.stdin!).agents).toEqual(privateKeys);
    expect(setup.resource.secretPaths).toContain("stdin");
    for (const key of Object.values(privateKeys))
      for (const { value } of mocks.plainStrings()) expect(value.includes(key.trim())).toBe(false);
    const timers = JSON.parse(mocks.step("ws-sync-install-sync-timer").environment.OPENCLAW_SYNC_AGENTS!) as {
      timer: string;
    }[];
    expect(timers.map((t) => t.timer)).toEqual([
      "openclaw-agent-workspace-sync-research.timer",
      "openclaw-agent-workspace-sync-notes.timer",
    ]);

    const bad =
      (list: unknown, repoUrl: string | null = "git@github.com:me/main.git") =>
      () =>
        new WorkspaceSync("ws-bad", { gateway, ...(repoUrl ? { repoUrl } : {}), agents: list as never });
    expect(bad([{ id: "x;reboot", workspace: "~/x", repoUrl: "git@github.com:me/x.git" }])).toThrow(
      /agents\[0\]\.id: .*is not an OpenClaw agent id/,
    );
    expect(bad([{ id: "x", workspace: "~/.ssh", repoUrl: "git@github.com:me/x.git" }])).toThrow(
      /agents\[0\]\.workspace: .*is not a directory of the agent's own/,
    );
    expect(bad(agents, null)).toThrow(/agents: is set while repoUrl is not/);
    expect(bad([agents[0], { ...agents[1], repoUrl: "ssh://git@GitHub.com/me/research" }])).toThrow(
      /agents\[1\]\.repoUrl: is a repository listed before/,
    );
    expect(bad([agents[0], { ...agents[1], workspace: "~/.openclaw/workspace-research" }])).toThrow(
      /agents\[1\]\.workspace: is, holds or is inside a workspace listed before/,
    );
    expect(bad([{ ...agents[0], repoUrl: "git@github.com:me/main" }])).toThrow(/the main workspace's/);
  });

  it("gives a clear placeholder URL when the tailnet name is unset", async () => {
    const d = new OpenClawDeployment("nourl", {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
      serverName: "nourl-vps",
    });
    expect(await valueOf(d.tailscaleUrl)).toBe(
      "https://nourl-vps.<your-tailnet>.ts.net/ (set tailnetDnsName to get the exact URL)",
    );
    expect(await valueOf(d.tailscaleUrlWithToken)).toMatch(
      /^https:\/\/nourl-vps\.<your-tailnet>\.ts\.net\/#token=[A-Za-z0-9]{48}$/,
    );
    await settle();
  });
});

describe("secrets passed as plain strings", () => {
  it("are accepted, treated as secret, and warned about once per argument", async () => {
    const plain = (n: string) =>
      new OpenClawDeployment(n, {
        tailscaleAuthKey: SENTINELS.tailscaleAuthKey,
        claudeSetupToken: SENTINELS.claudeSetupToken,
        serverName: `${n}-vps`,
        telegram: { botToken: SENTINELS.telegramBotToken, userId: "123456789" },
      });
    plain("plain1");
    plain("plain2");
    await settle();
    const tsWarnings = warnings.filter((w) => w.startsWith("tailscaleAuthKey was passed as a plain string"));
    const claudeWarnings = warnings.filter((w) => w.startsWith("claudeSetupToken was passed as a plain string"));
    expect(tsWarnings).toHaveLength(1);
    expect(claudeWarnings).toHaveLength(1);
    // Once, under the name the user wrote: not again as the child's `botToken`.
    expect(warnings.filter((w) => /botToken was passed as a plain string/.test(w))).toEqual([
      expect.stringMatching(/^telegram\.botToken was passed as a plain string/),
    ]);
    for (const w of warnings) {
      expect(w).not.toContain(SENTINELS.tailscaleAuthKey);
      expect(w).not.toContain(SENTINELS.claudeSetupToken);
      expect(w).not.toContain(SENTINELS.telegramBotToken);
    }
    expect(mocks.byName("plain1-host-server").secretPaths).toContain("userData");
    expect(mocks.byName("plain2-gateway-configure-gateway").secretPaths).toContain("stdin");
  });
});

describe("connection host overrides on the children", () => {
  it("let a child's steps connect elsewhere, and validate the address", async () => {
    const { Sandbox } = await import("./index.js");
    const network = new Network("ovr-net");
    const host = new Host("ovr-host", {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      firewallIds: [network.firewallId],
      serverName: "ovr",
    });
    const gateway = new Gateway("ovr-gw", {
      host,
      claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
      tailnetDnsName: "tail1234.ts.net",
    });
    const sandbox = new Sandbox("ovr-sb", { gateway, connectionHost: "100.101.102.103" });
    await valueOf(sandbox.ready.id);
    await settle();
    expect(mocks.step("ovr-sb-install-docker").host).toBe("100.101.102.103");
    expect(mocks.step("ovr-gw-install-openclaw").host).toBe("ovr.tail1234.ts.net");
    expect(() => new Sandbox("ovr-bad", { gateway, connectionHost: "not a host" })).toThrow(
      /connectionHost: "not a host" is neither a host name nor an IP address/,
    );
  });
});

describe("a stale SSH agent socket in the environment", () => {
  it("is named, with its remedy, when the deployment is built (the provider would fail every step at once)", async () => {
    const saved = process.env.SSH_AUTH_SOCK;
    process.env.SSH_AUTH_SOCK = "/nonexistent/agent.sock";
    try {
      new OpenClawDeployment("agent", {
        tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
        claudeSetupToken: pulumi.secret(SENTINELS.claudeSetupToken),
        serverName: "agent-vps",
      });
      await settle();
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
    expect(warnings).toContainEqual(
      expect.stringMatching(/^SSH_AUTH_SOCK is set to "\/nonexistent\/agent\.sock", which does not exist: .*unset/),
    );
  });
});

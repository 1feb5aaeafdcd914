import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { DISCORD, SENTINELS } from "../../test/fixtures.js";
import { resolveDeployment, type OpenClawDeploymentArgs } from "../deployment-args.js";
import { ArgValidator } from "../validate/validator.js";
import { renderAgentsPatch, resolveAgentsArgs, type AgentOptions } from "./args.js";

const CTX = { authenticated: ["anthropic"], sandbox: true, channels: ["telegram"] };
const base: OpenClawDeploymentArgs = {
  tailscaleAuthKey: SENTINELS.tailscaleAuthKey,
  claudeSetupToken: SENTINELS.claudeSetupToken,
  telegram: { botToken: SENTINELS.telegramBotToken, userId: "123456789" },
};

function problems(agents: unknown, ctx = CTX): string[] {
  const v = new ArgValidator("t");
  resolveAgentsArgs(agents as AgentOptions[], v, ctx);
  try {
    v.throwIfInvalid();
    return [];
  } catch (e) {
    return (e as Error).message.split("\n").slice(1);
  }
}

describe("agents: the config patch", () => {
  it("keeps main the default, gives each agent its workspace, and binds channels as OpenClaw models them", () => {
    expect(
      renderAgentsPatch([
        {
          id: "research",
          name: "Research",
          model: "anthropic/claude-sonnet-4-6",
          sandbox: { workspaceAccess: "ro", network: "none" },
          bindings: [{ channel: "telegram", peer: { kind: "direct", id: "42" } }],
        },
        { id: "ops", workspace: "~/agents/ops" },
      ]),
    ).toEqual({
      agents: {
        entries: {
          research: {
            name: "Research",
            workspace: "~/.openclaw/workspace-research",
            model: { primary: "anthropic/claude-sonnet-4-6" },
            sandbox: { workspaceAccess: "ro", docker: { network: "none" } },
          },
          ops: { workspace: "~/agents/ops" },
        },
      },
      bindings: [{ agentId: "research", match: { channel: "telegram", peer: { kind: "direct", id: "42" } } }],
    });
  });

  it("renders nothing for an empty list, so the step deletes what an earlier list made", () => {
    expect(renderAgentsPatch([])).toEqual({});
    expect(problems([])).toEqual([]);
  });

  it("is merged with openclawConfig's patch into the one patch apply-openclaw-config applies", () => {
    const d = resolveDeployment(
      {
        ...base,
        agents: [{ id: "helper", bindings: [{ channel: "mattermost" }] }],
        openclawConfig: {
          patch: { channels: { mattermost: { enabled: true, botToken: { $secret: "t" } } } },
          secrets: { t: SENTINELS.openclawConfigSecret },
        },
      },
      "t",
    );
    expect(d.openclawConfig.patch).toMatchObject({
      agents: { entries: { helper: { workspace: "~/.openclaw/workspace-helper" } } },
      bindings: [{ agentId: "helper", match: { channel: "mattermost" } }],
      channels: { mattermost: { enabled: true, botToken: { $secret: "t" } } },
    });
  });
});

describe("agents: refused at construction, naming the agent's key", () => {
  it.each<[string, unknown, RegExp]>([
    ["main", [{ id: "main" }], /agents\[0\]\.id: is "main"/],
    ["a repeated id", [{ id: "a" }, { id: "a" }], /agents\[1\]\.id: is the id of an agent listed before it/],
    ["an id that reads as an option", [{ id: "--force" }], /agents\[0\]\.id: .*is not an OpenClaw agent id/],
    ["an upper-case id", [{ id: "Research" }], /agents\[0\]\.id: .*is not an OpenClaw agent id/],
    ["an unknown key", [{ id: "a", tools: {} }], /agents\[0\]\.tools/],
    [
      "a model whose provider has no credential",
      [{ id: "a", model: "openai/gpt-5.5" }],
      /agents\[0\]\.model: .*"openai", for which no credential is set/,
    ],
    ["a workspace outside home", [{ id: "a", workspace: "/etc" }], /agents\[0\]\.workspace: .*under the home/],
    ["a workspace that climbs out", [{ id: "a", workspace: "~/../root" }], /agents\[0\]\.workspace/],
    ["a sandbox network of the host", [{ id: "a", sandbox: { network: "host" } }], /agents\[0\]\.sandbox\.network/],
    ["a sandbox mode", [{ id: "a", sandbox: { mode: "off" } }], /agents\[0\]\.sandbox\.mode/],
    [
      "a binding to a channel the deployment lacks",
      [{ id: "a", bindings: [{ channel: "slack" }] }],
      /agents\[0\]\.bindings\[0\]\.channel: is "slack", a channel this deployment does not configure; expected one of telegram/,
    ],
    [
      "a peer of no known kind",
      [{ id: "a", bindings: [{ channel: "telegram", peer: { kind: "dm", id: "1" } }] }],
      /agents\[0\]\.bindings\[0\]\.peer\.kind/,
    ],
    [
      "a peer id with a space",
      [{ id: "a", bindings: [{ channel: "telegram", peer: { kind: "direct", id: "1 2" } }] }],
      /agents\[0\]\.bindings\[0\]\.peer\.id/,
    ],
    ["not a list", { id: "a" }, /agents: is not a list/],
    // A list that cannot be read now must never render as "no agents" (which deletes them on the host).
    ["an Output for the list", pulumi.output([{ id: "a" }]), /agents: is an Output or a promise/],
    ["an Output for an agent", [pulumi.output({ id: "a" })], /agents\[0\]: is an Output or a promise/],
    ["an Output for a name", [{ id: "a", name: pulumi.output("A") }], /agents\[0\]\.name: is an Output or a promise/],
    [
      "a promise for a model",
      [{ id: "a", model: Promise.resolve("anthropic/claude-opus-5") }],
      /agents\[0\]\.model: is an Output or a promise/,
    ],
    ["a null sandbox", [{ id: "a", sandbox: null }], /agents\[0\]\.sandbox: is not an object/],
    ["a sandbox as text", [{ id: "a", sandbox: "rw" }], /agents\[0\]\.sandbox: is not an object/],
    [
      "a null peer",
      [{ id: "a", bindings: [{ channel: "telegram", peer: null }] }],
      /agents\[0\]\.bindings\[0\]\.peer: is not an object/,
    ],
    [
      "OpenClaw's state as a workspace",
      [{ id: "a", workspace: "~/.openclaw" }],
      /agents\[0\]\.workspace: .*hidden part/,
    ],
    ["main's workspace", [{ id: "a", workspace: "~/.openclaw/workspace" }], /agents\[0\]\.workspace/],
    ["the SSH keys as a workspace", [{ id: "a", workspace: "~/.ssh" }], /agents\[0\]\.workspace/],
    [
      "the backups as a workspace",
      [{ id: "a", workspace: "~/backups/x" }],
      /agents\[0\]\.workspace: .*is in the on-host backups' directory/,
    ],
    [
      "two agents in one workspace",
      [
        { id: "a", workspace: "~/agents/x" },
        { id: "b", workspace: "~/agents/x" },
      ],
      /agents\[1\]\.workspace: is also the workspace of agents\[0\]/,
    ],
    [
      "a workspace that is another agent's default",
      [{ id: "a" }, { id: "b", workspace: "~/.openclaw/workspace-a" }],
      /agents\[1\]\.workspace: is also the workspace of agents\[0\]/,
    ],
    ["a name with a line break", [{ id: "a", name: "x\ny" }], /agents\[0\]\.name: .*is not a display name/],
  ])("%s", (_what, agents, message) => {
    const found = problems(agents);
    expect(found.join("\n")).toMatch(message);
  });

  it("per-agent sandbox settings with the sandbox off", () => {
    expect(problems([{ id: "a", sandbox: { workspaceAccess: "ro" } }], { ...CTX, sandbox: false }).join("\n")).toMatch(
      /agents\[0\]\.sandbox: is set while sandbox\.enabled is false/,
    );
  });

  it("a binding to a channel the patch switches off", () => {
    expect(() =>
      resolveDeployment(
        {
          ...base,
          agents: [{ id: "a", bindings: [{ channel: "mattermost" }] }],
          openclawConfig: { patch: { channels: { mattermost: { enabled: false } } } },
        },
        "t",
      ),
    ).toThrow(/agents\[0\]\.bindings\[0\]\.channel: is "mattermost", a channel this deployment does not configure/);
  });

  it("a binding to Discord without the discord argument, and none with it", () => {
    const args = { ...base, agents: [{ id: "a", bindings: [{ channel: "discord" }] }] };
    expect(() => resolveDeployment(args, "t")).toThrow(/is "discord", a channel this deployment does not configure/);
    expect(() => resolveDeployment({ ...args, discord: DISCORD }, "t")).not.toThrow();
  });

  it("agents and openclawConfig that together make a patch too large to carry", () => {
    const big = "x".repeat(40 * 1024);
    expect(() =>
      resolveDeployment(
        {
          ...base,
          agents: [{ id: "a", name: "A" }],
          openclawConfig: { patch: { messages: { a: big, b: big.slice(0, 30 * 1024) } } },
        },
        "t",
      ),
    ).toThrow(
      /agents: and openclawConfig\.patch make a config patch of \d+ bytes as JSON; expected at most 65536 bytes together/,
    );
  });

  it("the agents' keys set through openclawConfig as well", () => {
    expect(() =>
      resolveDeployment(
        { ...base, agents: [{ id: "a" }], openclawConfig: { patch: { bindings: [], agents: { entries: {} } } } },
        "t",
      ),
    ).toThrow(
      /openclawConfig\.patch\.agents\.entries: is set by the agents argument too[\s\S]*openclawConfig\.patch\.bindings/,
    );
  });
});

describe("agents: a workspace repository of their own", () => {
  const REPO = "git@github.com:someone/openclaw-workspace.git";
  const SYNCED = { ...CTX, workspaceSync: { repoUrl: REPO } };
  const research = (repoUrl: string) => ({ id: "research", workspaceSync: { repoUrl } });

  it("is accepted with the main workspace synced, and never reaches OpenClaw's config", () => {
    expect(problems([research("git@github.com:someone/research.git")], SYNCED)).toEqual([]);
    const d = resolveDeployment(
      {
        ...base,
        workspaceSync: { repoUrl: REPO },
        agents: [research("ssh://git@git.example.com:2222/srv/research.git"), { id: "ops" }],
      },
      "t",
    );
    expect(d.workspaceSync.agents).toEqual([
      {
        id: "research",
        workspace: "~/.openclaw/workspace-research",
        repoUrl: "ssh://git@git.example.com:2222/srv/research.git",
      },
    ]);
    expect(JSON.stringify(d.openclawConfig.patch)).not.toContain("srv/research");
  });

  it.each<[string, unknown, object, RegExp]>([
    [
      "without the main workspace's sync",
      [research("git@github.com:someone/research.git")],
      CTX,
      /agents\[0\]\.workspaceSync: is set while workspaceSync\.repoUrl is not; expected workspaceSync\.repoUrl set too/,
    ],
    [
      "a URL that is not SSH",
      [research("https://github.com/someone/research.git")],
      SYNCED,
      /agents\[0\]\.workspaceSync\.repoUrl: .*is not an SSH git URL/,
    ],
    [
      "a URL smuggling a command",
      [research("git@github.com:x/y.git; rm -rf ~")],
      SYNCED,
      /agents\[0\]\.workspaceSync\.repoUrl: .*is not an SSH git URL/,
    ],
    [
      "the main workspace's repository, written another way",
      [research("ssh://git@github.com/someone/openclaw-workspace")],
      SYNCED,
      /agents\[0\]\.workspaceSync\.repoUrl: is also the repository of the main workspace/,
    ],
    [
      "another agent's repository",
      [research("git@github.com:a/b.git"), { id: "ops", workspaceSync: { repoUrl: "git@github.com:a/b.git" } }],
      SYNCED,
      /agents\[1\]\.workspaceSync\.repoUrl: is also the repository of agents\[0\]/,
    ],
    [
      "a workspace inside another agent's",
      [
        { id: "outer", workspace: "~/agents" },
        { id: "inner", workspace: "~/agents/inner", workspaceSync: { repoUrl: "git@github.com:a/b.git" } },
      ],
      SYNCED,
      /agents\[1\]\.workspace: holds or is inside the workspace of agents\[0\]/,
    ],
    [
      "an unknown key",
      [{ id: "research", workspaceSync: { repoUrl: "git@github.com:a/b.git", interval: "5min" } }],
      SYNCED,
      /agents\[0\]\.workspaceSync\.interval/,
    ],
    [
      "an Output",
      [{ id: "research", workspaceSync: pulumi.output({ repoUrl: "git@github.com:a/b.git" }) }],
      SYNCED,
      /agents\[0\]\.workspaceSync: is an Output or a promise/,
    ],
  ])("%s is refused", (_label, agents, ctx, message) => {
    expect(problems(agents, ctx as typeof SYNCED).join("\n")).toMatch(message);
  });
});

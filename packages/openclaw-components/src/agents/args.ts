/**
 * The `agents` argument: agents besides OpenClaw's default one (`main`), each
 * with its own workspace and, where set, its own model, sandbox settings and
 * channel bindings. Rendered as a config patch (`agents.entries` and
 * `bindings`, as the pinned OpenClaw models them) that `apply-openclaw-config`
 * merges with `openclawConfig`'s, so an agent dropped from the list is deleted
 * with OpenClaw's own `agents delete`. Plain values only: the agent set shapes
 * the patch, and is checked before anything is created. Pure.
 */
import type { ConfigPatch } from "../gateway/openclaw-config.js";
import type { WorkspaceAccess } from "../sandbox/args.js";
import { argKeys } from "../validate/known-keys.js";
import { modelWithCredentials, type Rule } from "../validate/rules.js";
import { textProblem } from "../validate/text.js";
import { isInputLike, type ArgValidator } from "../validate/validator.js";
import { isPlainList } from "../validate/id-list.js";
import { isPlainObject } from "../validate/values.js";
import { sameRepository, SSH_GIT_URL } from "../workspace/git-url.js";
import { agentId, agentWorkspace, defaultAgentWorkspace, workspacesOverlap } from "./ids.js";

export { AGENT_ID } from "./ids.js";

/** One conversation on a channel. */
export interface AgentPeer {
  /** `direct` (a private chat), `group` or `channel`. */
  kind: string;
  /** The channel's own id for it (a Telegram user id, a Discord channel id). */
  id: string;
}

/** An agent's own sandbox settings. */
export interface AgentSandboxOptions {
  /**
   * How its sessions see the workspace: `none`, `ro` or `rw`.
   * @default the deployment's `sandbox.workspaceAccess`
   */
  workspaceAccess?: WorkspaceAccess;
  /**
   * Docker network of its sandbox containers: `none` or `bridge`.
   * @default the deployment's `sandbox.network`
   */
  network?: string;
}

/** Routes one channel's messages (all of them, or one peer's) to an agent. */
export interface AgentBinding {
  /** A configured channel: `telegram`, or one `openclawConfig.patch.channels` sets (e.g. `discord`). */
  channel: string;
  /**
   * One conversation only: a direct chat, a group or a channel, by the
   * channel's own id (a Telegram user id, a Discord channel id).
   * @default unset: every conversation on the channel
   */
  peer?: AgentPeer;
  /**
   * The channel account, where the channel has several.
   * @default unset: any account
   */
  accountId?: string;
}

/** One agent besides OpenClaw's default agent (`main`). */
export interface AgentOptions {
  /** OpenClaw agent id: lowercase letters, digits, `_` and `-`, at most 64 characters; not `main`. */
  id: string;
  /**
   * Display name.
   * @default the id
   */
  name?: string;
  /**
   * The agent's model, `provider/model`; its provider needs a credential
   * (`claudeSetupToken` or `modelAuth`).
   * @default the deployment's `model`
   */
  model?: string;
  /**
   * Its workspace on the host, under the admin user's home (`~/…`).
   * @default `~/.openclaw/workspace-<id>`
   */
  workspace?: string;
  /**
   * The agent's own sandbox settings (the sandbox itself cannot be switched
   * off per agent; needs `sandbox.enabled`).
   * @default the deployment's sandbox settings
   */
  sandbox?: AgentSandboxOptions;
  /**
   * Channels (or conversations) whose messages go to this agent.
   * @default none: the agent is reached only by name
   */
  bindings?: AgentBinding[];
  /**
   * Git sync of this agent's workspace to a repository of its own, on the
   * main workspace's timer interval and with its commit identity (so
   * `workspaceSync.repoUrl` must be set too). The agent gets its own deploy
   * key (output `agentWorkspaceDeployPublicKeys`, by agent id).
   * @default unset: the agent's workspace is not synced
   */
  workspaceSync?: AgentWorkspaceSyncOptions;
}

/** Where one agent's workspace is pushed. */
export interface AgentWorkspaceSyncOptions {
  /**
   * SSH URL of the agent's own (private) repository, as for
   * `workspaceSync.repoUrl`; each repository serves one workspace.
   */
  repoUrl: string;
}

/** What the agent checks need from the rest of the deployment. */
export interface AgentContext {
  /** Providers with a credential. */
  readonly authenticated: readonly string[];
  /** Whether the deployment runs the sandbox. */
  readonly sandbox: boolean;
  /** Channels the deployment configures (telegram, and openclawConfig's). */
  readonly channels: readonly string[];
  /** Whether the main workspace is synced (`workspaceSync.repoUrl` set), and its repository when plain. */
  readonly workspaceSync?: { readonly repoUrl?: string };
}

const AGENT = argKeys<AgentOptions>({
  id: true,
  name: true,
  model: true,
  workspace: true,
  sandbox: true,
  bindings: true,
  workspaceSync: true,
});
const AGENT_SYNC = argKeys<AgentWorkspaceSyncOptions>({ repoUrl: true });
const AGENT_SANDBOX = argKeys<AgentSandboxOptions>({ workspaceAccess: true, network: true });
const BINDING = argKeys<AgentBinding>({ channel: true, peer: true, accountId: true });
const PEER = argKeys<AgentPeer>({ kind: true, id: true });

const WORD = /^[A-Za-z0-9_.:@+-]{1,128}$/;

const rule =
  (re: RegExp, problem: string, expected: string): Rule<unknown> =>
  (v) =>
    typeof v === "string" && re.test(v) ? undefined : { problem, expected };

/** A one-line display name of 1 to 64 characters, trimmed. */
const displayName: Rule<unknown> = (v) =>
  typeof v === "string" && v.length >= 1 && v.length <= 64 && !textProblem(v, { oneLine: true, trimmed: true })
    ? undefined
    : { problem: "is not a display name", expected: "1 to 64 characters on one line, no control characters" };

/**
 * The agents' part of the config: `agents.entries` and `bindings`. `main`
 * stays the default by itself (2026.9.6 removes an entry's `default: true`
 * as a retired marker, and fills in main's own entry).
 */
export function renderAgentsPatch(agents: readonly AgentOptions[]): ConfigPatch {
  if (agents.length === 0) return {};
  const entries: Record<string, unknown> = {};
  for (const a of agents) {
    entries[a.id] = {
      ...(a.name !== undefined ? { name: a.name } : {}),
      workspace: a.workspace ?? defaultAgentWorkspace(a.id),
      ...(a.model !== undefined ? { model: { primary: a.model } } : {}),
      ...(a.sandbox
        ? {
            sandbox: {
              ...(a.sandbox.workspaceAccess !== undefined ? { workspaceAccess: a.sandbox.workspaceAccess } : {}),
              ...(a.sandbox.network !== undefined ? { docker: { network: a.sandbox.network } } : {}),
            },
          }
        : {}),
    };
  }
  const bindings = agents.flatMap((a) =>
    (a.bindings ?? []).map((b) => ({
      agentId: a.id,
      match: {
        channel: b.channel,
        ...(b.accountId !== undefined ? { accountId: b.accountId } : {}),
        ...(b.peer ? { peer: { kind: b.peer.kind, id: b.peer.id } } : {}),
      },
    })),
  );
  return { agents: { entries: entries as ConfigPatch }, ...(bindings.length ? { bindings } : {}) };
}

/**
 * Checks `agents` into `v` and returns its config patch (`{}` when unset:
 * the step then deletes the agents an earlier list made).
 */
export function resolveAgentsArgs(
  agents: readonly AgentOptions[] | undefined,
  v: ArgValidator,
  ctx: AgentContext,
  at = "agents",
): ConfigPatch {
  if (agents === undefined) return {};
  const expected =
    'a plain list of agents, e.g. [{ id: "research" }] (it shapes the config, checked before anything is created)';
  if (!isPlainList(agents, at, v, expected)) return {};
  const seen = new Set<string>();
  const workspaces = new Map<string, string>();
  const repos = new Map<string, string>();
  let ok = true;
  const refuse = (path: string, problem: string, expected: string) => {
    v.add({ path, problem, expected });
    ok = false;
  };
  // Every value must be plain: a list that cannot be read now must never
  // render as "no agents", which would delete the agents on the host.
  const plainBlock = (path: string, value: unknown, expected: string): boolean => {
    if (isPlainObject(value)) return true;
    refuse(path, isInputLike(value) ? "is an Output or a promise" : "is not an object", expected);
    return false;
  };
  const check = (path: string, value: unknown, r: Rule<unknown>) => {
    if (isInputLike(value)) return refuse(path, "is an Output or a promise", "a plain value");
    v.check(path, value, r);
    if (r(value) !== undefined) ok = false;
  };
  agents.forEach((a, i) => {
    const p = `${at}[${i}]`;
    if (!plainBlock(p, a, '{ id: "research", … }')) return;
    v.knownKeys(p, a, AGENT);
    check(`${p}.id`, a.id, agentId);
    if (a.id === "main" || seen.has(a.id)) {
      v.add({
        path: `${p}.id`,
        problem: a.id === "main" ? 'is "main", OpenClaw\'s default agent' : "is the id of an agent listed before it",
        expected: "another id: each agent once, and main is always there",
      });
      ok = false;
    }
    seen.add(a.id);
    if (a.name !== undefined) check(`${p}.name`, a.name, displayName);
    if (a.model !== undefined) check(`${p}.model`, a.model, modelWithCredentials(ctx.authenticated) as Rule<unknown>);
    const workspace = a.workspace ?? defaultAgentWorkspace(String(a.id));
    if (a.workspace !== undefined) check(`${p}.workspace`, a.workspace, agentWorkspace);
    const [shared, sharer] = [...workspaces].find(([w]) => workspacesOverlap(w, workspace)) ?? [];
    if (sharer !== undefined)
      refuse(
        `${p}.workspace`,
        shared === workspace ? `is also the workspace of ${sharer}` : `holds or is inside the workspace of ${sharer}`,
        "a workspace of each agent's own, apart from every other agent's",
      );
    workspaces.set(workspace, p);
    if (
      a.sandbox !== undefined &&
      plainBlock(`${p}.sandbox`, a.sandbox, '{ workspaceAccess?: "ro", network?: "none" }')
    ) {
      v.knownKeys(`${p}.sandbox`, a.sandbox, AGENT_SANDBOX);
      if (!ctx.sandbox) {
        v.add({
          path: `${p}.sandbox`,
          problem: "is set while sandbox.enabled is false",
          expected: "no per-agent sandbox settings, or the sandbox on",
        });
        ok = false;
      }
      const { workspaceAccess, network } = a.sandbox;
      if (workspaceAccess !== undefined && !["none", "ro", "rw"].includes(workspaceAccess as string)) {
        v.add({
          path: `${p}.sandbox.workspaceAccess`,
          problem: "is not a workspace access",
          expected: "none, ro or rw",
        });
        ok = false;
      }
      if (network !== undefined && !["none", "bridge"].includes(network as string)) {
        v.add({ path: `${p}.sandbox.network`, problem: "is not a sandbox network", expected: "none or bridge" });
        ok = false;
      }
    }
    if (a.bindings !== undefined && !Array.isArray(a.bindings)) {
      v.add({ path: `${p}.bindings`, problem: "is not a list", expected: '[{ channel: "telegram" }, …]' });
      ok = false;
    }
    if (
      a.workspaceSync !== undefined &&
      plainBlock(`${p}.workspaceSync`, a.workspaceSync, '{ repoUrl: "git@github.com:you/research-workspace.git" }')
    ) {
      v.knownKeys(`${p}.workspaceSync`, a.workspaceSync, AGENT_SYNC);
      const url = a.workspaceSync.repoUrl;
      check(`${p}.workspaceSync.repoUrl`, url, SSH_GIT_URL);
      if (!ctx.workspaceSync)
        refuse(
          `${p}.workspaceSync`,
          "is set while workspaceSync.repoUrl is not",
          "workspaceSync.repoUrl set too: the agents' workspaces sync on its interval, with its commit identity",
        );
      // Two workspaces pushing to one repository's main branch would overwrite each other.
      const main = ctx.workspaceSync?.repoUrl;
      const holder =
        typeof url === "string" && main !== undefined && sameRepository(url, main)
          ? "the main workspace"
          : [...repos].find(([r]) => typeof url === "string" && sameRepository(r, url))?.[1];
      if (holder !== undefined)
        refuse(
          `${p}.workspaceSync.repoUrl`,
          `is also the repository of ${holder}`,
          "a repository of each workspace's own",
        );
      repos.set(url, p);
    }
    const bindings: readonly AgentBinding[] = Array.isArray(a.bindings) ? a.bindings : [];
    bindings.forEach((b, j) => {
      const bp = `${p}.bindings[${j}]`;
      if (!plainBlock(bp, b, '{ channel: "telegram", … }')) return;
      v.knownKeys(bp, b, BINDING);
      if (!ctx.channels.includes(b.channel)) {
        v.add({
          path: `${bp}.channel`,
          problem:
            typeof b.channel === "string" && WORD.test(b.channel)
              ? `is "${b.channel}", a channel this deployment does not configure`
              : "is not a channel name",
          expected: ctx.channels.length
            ? `one of ${ctx.channels.join(", ")}`
            : "a configured channel (telegram, or one in openclawConfig.patch.channels)",
        });
        ok = false;
      }
      if (b.accountId !== undefined)
        check(`${bp}.accountId`, b.accountId, rule(WORD, "is not an account id", "letters, digits and _.:@+-"));
      if (b.peer !== undefined && plainBlock(`${bp}.peer`, b.peer, '{ kind: "direct", id: "…" }')) {
        v.knownKeys(`${bp}.peer`, b.peer, PEER);
        if (!["direct", "group", "channel"].includes(b.peer.kind)) {
          v.add({ path: `${bp}.peer.kind`, problem: "is not a peer kind", expected: "direct, group or channel" });
          ok = false;
        }
        check(
          `${bp}.peer.id`,
          b.peer.id,
          rule(WORD, "is not a peer id", "the channel's id: letters, digits and _.:@+-"),
        );
      }
    });
  });
  return ok ? renderAgentsPatch(agents) : {};
}

/** An agent's workspace repository, as WorkspaceSync takes it. */
export interface AgentWorkspaceRepo {
  /** The agent's id. */
  readonly id: string;
  /** Its workspace under the admin user's home (`~/…`). */
  readonly workspace: string;
  /** Its repository's SSH URL. */
  readonly repoUrl: string;
}

/** The agents whose workspaces are synced (checked by {@link resolveAgentsArgs}), in list order. */
export function agentWorkspaceRepos(agents: readonly AgentOptions[] | undefined): AgentWorkspaceRepo[] {
  return (Array.isArray(agents) ? agents : []).flatMap((a: AgentOptions) =>
    isPlainObject(a) && isPlainObject(a.workspaceSync)
      ? [{ id: a.id, workspace: a.workspace ?? defaultAgentWorkspace(a.id), repoUrl: a.workspaceSync.repoUrl }]
      : [],
  );
}

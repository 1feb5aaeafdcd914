import type * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import { agentId, agentWorkspace, workspacesOverlap } from "../agents/ids.js";
import type { AgentWorkspaceRepo } from "../agents/args.js";
import type { Gateway } from "../gateway/gateway.js";
import { argKeys } from "../validate/known-keys.js";
import { isPlainList } from "../validate/id-list.js";
import { isPlainObject } from "../validate/values.js";
import type { Rule } from "../validate/rules.js";
import { textProblem } from "../validate/text.js";
import { isInputLike, type ArgValidator } from "../validate/validator.js";
import type { WorkspaceSyncSettings } from "./steps.js";
import { sameRepository, SSH_GIT_URL } from "./git-url.js";
import { calendarFor, timeSpanSeconds } from "./workspace-config.js";

/** Defaults of the workspace sync. */
export const WORKSPACE_SYNC_DEFAULTS = {
  interval: "1h",
  gitUserName: "OpenClaw Agent",
  gitUserEmail: "openclaw-agent@localhost",
} as const;

/** The `workspaceSync` block of `OpenClawDeploymentArgs`. */
export interface WorkspaceSyncOptions {
  /**
   * SSH URL of the (private) repository the workspace is pushed to:
   * `git@github.com:you/openclaw-workspace.git` or `ssh://git@host[:port]/path.git`.
   * Without it only the deploy key is created (so you can add it first).
   * @default unset: no on-host sync
   */
  repoUrl?: pulumi.Input<string>;
  /**
   * How often to sync: a systemd time span that divides an hour or a day (`15min`, `1h`, `6h`, `1d`).
   * @default "1h"
   */
  interval?: pulumi.Input<string>;
  /**
   * Author name of the sync commits.
   * @default "OpenClaw Agent"
   */
  gitUserName?: pulumi.Input<string>;
  /**
   * Author email of the sync commits.
   * @default "openclaw-agent@localhost"
   */
  gitUserEmail?: pulumi.Input<string>;
}

export interface WorkspaceSyncArgs extends WorkspaceSyncOptions {
  /**
   * Other agents' workspaces, each pushed to a repository of its own with a
   * deploy key of its own (`agentDeployPublicKeys`), on this sync's interval
   * and with its identity; needs `repoUrl`. Plain values: they name files and
   * units on the host. An agent dropped from the list loses its timer, key and
   * SSH alias on the next run; its workspace stays.
   * @default none
   */
  agents?: AgentWorkspaceRepo[];
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
  /** The gateway whose workspace is synced. */
  gateway: Gateway;
}

const syncInterval: Rule<string> = (v) => {
  const seconds = timeSpanSeconds(v);
  if (seconds === undefined)
    return { problem: "is not a systemd time span", expected: 'a span such as "15min", "1h", "6h" or "1d"' };
  return calendarFor(seconds)
    ? undefined
    : {
        problem: "does not divide an hour or a day evenly",
        expected: 'a span such as "15min", "30min", "1h", "6h" or "1d"',
      };
};
const oneLine: Rule<string> = (v) =>
  v.trim() !== "" && textProblem(v, { oneLine: true }) === undefined
    ? undefined
    : { problem: "is empty, spans lines or holds a control character", expected: "a single line of text" };

/** Checks WorkspaceSync arguments into `v` (paths under `prefix`) and fills in defaults. */
export function resolveWorkspaceSyncArgs(args: WorkspaceSyncOptions, v: ArgValidator, prefix = "") {
  return {
    repoUrl:
      args.repoUrl !== undefined ? v.check(`${prefix}repoUrl`, args.repoUrl, SSH_GIT_URL as Rule<string>) : undefined,
    interval: v.check(`${prefix}interval`, args.interval ?? WORKSPACE_SYNC_DEFAULTS.interval, syncInterval),
    gitUserName: v.check(`${prefix}gitUserName`, args.gitUserName ?? WORKSPACE_SYNC_DEFAULTS.gitUserName, oneLine),
    gitUserEmail: v.check(`${prefix}gitUserEmail`, args.gitUserEmail ?? WORKSPACE_SYNC_DEFAULTS.gitUserEmail, oneLine),
  };
}

const AGENT_REPO = argKeys<AgentWorkspaceRepo>({ id: true, workspace: true, repoUrl: true });

/**
 * Checks WorkspaceSync's `agents` (a component used on its own; in a
 * deployment each agent's `workspaceSync` is checked where the user wrote it).
 */
export function resolveAgentRepos(
  list: readonly AgentWorkspaceRepo[] | undefined,
  repoUrl: unknown,
  v: ArgValidator,
  at = "agents",
): AgentWorkspaceRepo[] {
  if (list === undefined) return [];
  const expected =
    'a plain list, e.g. [{ id: "research", workspace: "~/.openclaw/workspace-research", repoUrl: "git@…" }]';
  if (!isPlainList(list, at, v, expected)) return [];
  if (list.length > 0 && repoUrl === undefined)
    v.add({ path: at, problem: "is set while repoUrl is not", expected: "repoUrl set too (the main workspace's)" });
  // What may not repeat: an id; a workspace, or one inside another; a repository (the main one's included).
  const str = (f: (a: string, b: string) => boolean) => (a: unknown, b: unknown) =>
    typeof a === "string" && typeof b === "string" && f(a, b);
  const clash = {
    id: { same: (a: unknown, b: unknown) => a === b, problem: "is listed before" },
    workspace: { same: str(workspacesOverlap), problem: "is, holds or is inside a workspace listed before" },
    repoUrl: { same: str(sameRepository), problem: "is a repository listed before, or the main workspace's" },
  };
  const seen: Record<keyof typeof clash, unknown[]> = { id: [], workspace: [], repoUrl: [repoUrl] };
  list.forEach((a, i) => {
    const p = `${at}[${i}]`;
    if (!isPlainObject(a)) {
      v.add({ path: p, problem: "is not a plain object", expected: "{ id, workspace, repoUrl }" });
      return;
    }
    v.knownKeys(p, a, AGENT_REPO);
    for (const [key, rule] of [
      ["id", agentId],
      ["workspace", agentWorkspace],
      ["repoUrl", SSH_GIT_URL],
    ] as const) {
      const value: unknown = a[key];
      if (isInputLike(value))
        v.add({ path: `${p}.${key}`, problem: "is an Output or a promise", expected: "a plain value" });
      else v.check(`${p}.${key}`, value, rule);
      if (seen[key].some((earlier) => clash[key].same(earlier, value)))
        v.add({ path: `${p}.${key}`, problem: clash[key].problem, expected: `a ${key} of each workspace's own` });
      seen[key].push(value);
    }
  });
  return [...list];
}

/** The sync's settings, from its resolved arguments; undefined without `repoUrl` (no on-host sync). */
export function workspaceSyncSettings(
  r: Unwrap<ReturnType<typeof resolveWorkspaceSyncArgs>> & { readonly agents?: readonly AgentWorkspaceRepo[] },
): WorkspaceSyncSettings | undefined {
  if (r.repoUrl === undefined) return undefined;
  return {
    repoUrl: r.repoUrl,
    intervalSeconds: timeSpanSeconds(r.interval)!,
    gitUserName: r.gitUserName,
    gitUserEmail: r.gitUserEmail,
    agents: r.agents ?? [],
  };
}

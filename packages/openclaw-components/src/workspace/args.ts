import type * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import type { Gateway } from "../gateway/gateway.js";
import type { Rule } from "../validate/rules.js";
import { textProblem } from "../validate/text.js";
import type { ArgValidator } from "../validate/validator.js";
import type { WorkspaceSyncSettings } from "./steps.js";
import { calendarFor, parseGitSshUrl, timeSpanSeconds } from "./workspace-config.js";

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

const sshGitUrl: Rule<string> = (v) =>
  parseGitSshUrl(v)
    ? undefined
    : {
        problem: "is not an SSH git URL",
        expected: '"git@github.com:owner/repo.git" or "ssh://git@host[:port]/path.git"',
      };
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
    repoUrl: args.repoUrl !== undefined ? v.check(`${prefix}repoUrl`, args.repoUrl, sshGitUrl) : undefined,
    interval: v.check(`${prefix}interval`, args.interval ?? WORKSPACE_SYNC_DEFAULTS.interval, syncInterval),
    gitUserName: v.check(`${prefix}gitUserName`, args.gitUserName ?? WORKSPACE_SYNC_DEFAULTS.gitUserName, oneLine),
    gitUserEmail: v.check(`${prefix}gitUserEmail`, args.gitUserEmail ?? WORKSPACE_SYNC_DEFAULTS.gitUserEmail, oneLine),
  };
}

/** The sync's settings, from its resolved arguments; undefined without `repoUrl` (no on-host sync). */
export function workspaceSyncSettings(
  r: Unwrap<ReturnType<typeof resolveWorkspaceSyncArgs>>,
): WorkspaceSyncSettings | undefined {
  if (r.repoUrl === undefined) return undefined;
  return {
    repoUrl: r.repoUrl,
    intervalSeconds: timeSpanSeconds(r.interval)!,
    gitUserName: r.gitUserName,
    gitUserEmail: r.gitUserEmail,
  };
}

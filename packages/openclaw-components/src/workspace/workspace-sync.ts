import * as pulumi from "@pulumi/pulumi";
import type { RemoteStep } from "../remote/step.js";
import * as tls from "@pulumi/tls";
import type * as command from "@pulumi/command";
import type { Gateway } from "../gateway/gateway.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { Rule } from "../validate/rules.js";
import { hostAddress } from "../validate/rules.js";
import { ArgValidator } from "../validate/validator.js";
import { renderWorkspaceSyncSteps, WORKSPACE_SECRET_PLACEHOLDERS, type WorkspaceSyncSettings, type WorkspaceSyncSteps } from "./steps.js";
import { calendarFor, parseGitSshUrl, timeSpanSeconds } from "./workspace-config.js";

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
  parseGitSshUrl(v) ? undefined : { problem: "is not an SSH git URL", expected: '"git@github.com:owner/repo.git" or "ssh://git@host[:port]/path.git"' };
const syncInterval: Rule<string> = (v) => {
  const seconds = timeSpanSeconds(v);
  if (seconds === undefined) return { problem: "is not a systemd time span", expected: 'a span such as "15min", "1h", "6h" or "1d"' };
  return calendarFor(seconds) ? undefined : { problem: "does not divide an hour or a day evenly", expected: 'a span such as "15min", "30min", "1h", "6h" or "1d"' };
};
const oneLine: Rule<string> = (v) => (v.trim() !== "" && !/[\n\r]/.test(v) ? undefined : { problem: "is empty or spans lines", expected: "a single line of text" });

/** Checks WorkspaceSync arguments into `v` (paths under `prefix`) and fills in defaults. */
export function validateWorkspaceSyncArgs(args: WorkspaceSyncOptions, v: ArgValidator, prefix = "") {
  return {
    repoUrl: args.repoUrl !== undefined ? v.check(`${prefix}repoUrl`, args.repoUrl, sshGitUrl) : undefined,
    interval: v.check(`${prefix}interval`, args.interval ?? WORKSPACE_SYNC_DEFAULTS.interval, syncInterval),
    gitUserName: v.check(`${prefix}gitUserName`, args.gitUserName ?? WORKSPACE_SYNC_DEFAULTS.gitUserName, oneLine),
    gitUserEmail: v.check(`${prefix}gitUserEmail`, args.gitUserEmail ?? WORKSPACE_SYNC_DEFAULTS.gitUserEmail, oneLine),
  };
}

/**
 * Versions the agent's workspace in git and pushes it on a timer with a
 * deploy key scoped to one repository. The key is always generated, so its
 * public half can be added to the repository before the first deploy.
 */
export class WorkspaceSync extends pulumi.ComponentResource {
  /** The ED25519 deploy key (private half secret). */
  readonly deployKey: tls.PrivateKey;
  /** Public half of the deploy key: add it to the repository with write access. */
  readonly deployPublicKey: pulumi.Output<string>;
  /** The rendered steps in order, with secrets as placeholders (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  /** The on-host steps; empty without `repoUrl`. */
  readonly steps: Readonly<Partial<Record<keyof WorkspaceSyncSteps, command.remote.Command>>>;

  constructor(name: string, args: WorkspaceSyncArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const v = new ArgValidator(`WorkspaceSync "${name}"`);
    const c = validateWorkspaceSyncArgs(args, v);
    const connectionHost = args.connectionHost !== undefined ? v.check("connectionHost", args.connectionHost, hostAddress) : undefined;
    v.throwIfInvalid();
    super("openclaw:index:WorkspaceSync", name, {}, opts);

    this.deployKey = new tls.PrivateKey(`${name}-deploy-key`, { algorithm: "ED25519" }, { parent: this });
    this.deployPublicKey = this.deployKey.publicKeyOpenssh.apply((k) => k.trim());
    if (c.repoUrl === undefined) {
      this.steps = {};
      this.renderedSteps = pulumi.output([]);
      this.registerOutputs({ deployPublicKey: this.deployPublicKey });
      return;
    }

    const gateway = args.gateway;
    const settings: pulumi.Output<WorkspaceSyncSettings> = pulumi
      .all([c.repoUrl, c.interval, c.gitUserName, c.gitUserEmail])
      .apply(([repoUrl, interval, gitUserName, gitUserEmail]) => ({
        repoUrl,
        intervalSeconds: timeSpanSeconds(interval)!,
        gitUserName,
        gitUserEmail,
      }));
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings,
      render: renderWorkspaceSyncSteps,
      placeholders: WORKSPACE_SECRET_PLACEHOLDERS,
      secrets: this.deployKey.privateKeyOpenssh.apply((deployPrivateKey) => ({ deployPrivateKey })),
      secretSteps: ["setupWorkspace"],
      order: ["setupWorkspace", "installSyncTimer"],
      after: args.runAfter ?? [gateway.ready],
    }));
    this.registerOutputs({ deployPublicKey: this.deployPublicKey });
  }
}

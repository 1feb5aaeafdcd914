import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { resolveAgentRepos, resolveWorkspaceSyncArgs, workspaceSyncSettings, type WorkspaceSyncArgs } from "./args.js";
import { WORKSPACE_SYNC_STEPS, type WorkspaceSyncSettings, type WorkspaceSyncSteps } from "./steps.js";

export { WORKSPACE_SYNC_DEFAULTS, type WorkspaceSyncArgs, type WorkspaceSyncOptions } from "./args.js";

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
  /** Each agent's deploy key (`agents`), by agent id (private halves secret). */
  readonly agentDeployKeys: Readonly<Record<string, tls.PrivateKey>>;
  /**
   * Public halves of the agents' deploy keys, by agent id: add each to its
   * agent's repository with write access. Empty without `agents`.
   */
  readonly agentDeployPublicKeys: pulumi.Output<Record<string, string>>;
  /** The rendered steps in order, with secrets as placeholders (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  /** Everything the steps are rendered from, but the key; undefined without `repoUrl`. */
  readonly settings: pulumi.Output<WorkspaceSyncSettings | undefined>;
  /** The last step (absent without `repoUrl`). */
  readonly ready?: command.remote.Command;
  /** The on-host steps; empty without `repoUrl`. */
  readonly steps: Readonly<Partial<Record<keyof WorkspaceSyncSteps, command.remote.Command>>>;

  constructor(name: string, args: WorkspaceSyncArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { connectionHost, ...c } = resolveArgs(`WorkspaceSync "${name}"`, args, (a, v) => ({
      ...resolveWorkspaceSyncArgs(a, v),
      agents: resolveAgentRepos(a.agents, a.repoUrl, v),
      connectionHost: checkConnectionHost(a.connectionHost, v),
    }));
    super("openclaw:index:WorkspaceSync", name, {}, opts);

    this.deployKey = new tls.PrivateKey(`${name}-deploy-key`, { algorithm: "ED25519" }, { parent: this });
    this.deployPublicKey = this.deployKey.publicKeyOpenssh.apply((k) => k.trim());
    // A deploy key serves one repository (GitHub refuses one key on two), so each agent has its own.
    this.agentDeployKeys = Object.fromEntries(
      c.agents.map((a) => [
        a.id,
        new tls.PrivateKey(`${name}-agent-${a.id}-deploy-key`, { algorithm: "ED25519" }, { parent: this }),
      ]),
    );
    this.agentDeployPublicKeys = pulumi
      .all(Object.fromEntries(Object.entries(this.agentDeployKeys).map(([id, k]) => [id, k.publicKeyOpenssh])))
      .apply((keys) => Object.fromEntries(Object.entries(keys).map(([id, k]) => [id, k.trim()])));
    // Without a repository there is nothing to run on the host: only the key.
    if (c.repoUrl === undefined) {
      this.settings = pulumi.output(undefined);
      this.steps = {};
      this.renderedSteps = pulumi.output([]);
      this.registerOutputs({
        deployPublicKey: this.deployPublicKey,
        agentDeployPublicKeys: this.agentDeployPublicKeys,
      });
      return;
    }

    const gateway = args.gateway;
    this.settings = pulumi.output(c).apply(workspaceSyncSettings);
    const settings = this.settings as pulumi.Output<WorkspaceSyncSettings>;
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings,
      spec: WORKSPACE_SYNC_STEPS,
      secrets: pulumi
        .all([
          this.deployKey.privateKeyOpenssh,
          pulumi.all(
            Object.fromEntries(Object.entries(this.agentDeployKeys).map(([id, k]) => [id, k.privateKeyOpenssh])),
          ),
        ])
        .apply(([deployPrivateKey, agentDeployPrivateKeys]) => ({ deployPrivateKey, agentDeployPrivateKeys })),
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.installSyncTimer;
    this.registerOutputs({ deployPublicKey: this.deployPublicKey, agentDeployPublicKeys: this.agentDeployPublicKeys });
  }
}

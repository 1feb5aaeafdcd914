import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { backupSettings, resolveBackupArgs, type StateBackupsArgs } from "./args.js";
import { BACKUP_STEPS, type BackupSettings } from "./steps.js";

export { BACKUP_DEFAULTS, type BackupOptions, type StateBackupsArgs } from "./args.js";

/**
 * Verified backups of OpenClaw's state (config, credentials, sessions,
 * workspace) on a systemd user timer, kept in `~/backups` (0700, archives
 * 0600), with a restore program beside them.
 */
export class StateBackups extends pulumi.ComponentResource {
  /** Everything the step is rendered from. */
  readonly settings: pulumi.Output<BackupSettings>;
  readonly step: command.remote.Command;
  /** The last step (the only one): depend on it to run after the backups are set up. */
  readonly ready: command.remote.Command;
  /** The rendered step, with nothing secret in it. */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;

  constructor(name: string, args: StateBackupsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { connectionHost, ...c } = resolveArgs(`StateBackups "${name}"`, args, (a, v) => ({
      ...resolveBackupArgs(a, v),
      connectionHost: checkConnectionHost(a.connectionHost, v),
    }));
    super("openclaw:index:StateBackups", name, {}, opts);
    this.settings = pulumi.output(c).apply(backupSettings);
    const gateway = args.gateway;
    const { steps, rendered } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: BACKUP_STEPS,
      after: args.runAfter ?? [gateway.ready],
    });
    this.step = steps.installBackupTimer;
    this.ready = this.step;
    this.renderedSteps = rendered;
    this.registerOutputs({});
  }
}

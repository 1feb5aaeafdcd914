import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { backupSettings, resolveBackupArgs, type StateBackupsArgs } from "./args.js";
import { offServerOutputs } from "./off-server-inputs.js";
import { BACKUP_STEPS, type BackupSecrets, type BackupSettings } from "./steps.js";
import { withoutOffServerSecrets } from "./off-server.js";

export { BACKUP_DEFAULTS, type BackupOptions, type StateBackupsArgs } from "./args.js";
export {
  OFF_SERVER_DEFAULTS,
  type OffServerBackupOptions,
  type SftpTargetOptions,
  type S3TargetOptions,
} from "./off-server.js";

/**
 * Verified backups of OpenClaw's state (config, credentials, sessions,
 * workspace) on a systemd user timer, kept in `~/backups` (0700, archives
 * 0600), with a restore program beside them; with `offServer`, each one also
 * goes to a restic repository on an SFTP server.
 */
export class StateBackups extends pulumi.ComponentResource {
  /** Everything the step is rendered from (no secret). */
  readonly settings: pulumi.Output<BackupSettings>;
  readonly step: command.remote.Command;
  /** The last step (the only one): depend on it to run after the backups are set up. */
  readonly ready: command.remote.Command;
  /** The rendered step, with secrets as placeholders. */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  /** With `offServer.sftp`: the ED25519 key the server logs in to the SFTP server with (private half secret). */
  readonly offServerKey?: tls.PrivateKey;
  /**
   * With `offServer.sftp`: the public half of that key. Add it to the SFTP
   * account's authorized keys (a Storage Box: `~/.ssh/authorized_keys`)
   * before the first deploy.
   */
  readonly offServerPublicKey: pulumi.Output<string | undefined>;

  constructor(name: string, args: StateBackupsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { connectionHost, offServer, ...c } = resolveArgs(`StateBackups "${name}"`, args, (a, v) => ({
      ...resolveBackupArgs(a, v),
      connectionHost: checkConnectionHost(a.connectionHost, v),
    }));
    super("openclaw:index:StateBackups", name, {}, opts);
    // The password and S3 key travel apart from the settings, which the plan shows.
    this.settings = pulumi
      .output({ ...c, ...(offServer ? { offServer: withoutOffServerSecrets(offServer) } : {}) })
      .apply((r) => backupSettings(r as Parameters<typeof backupSettings>[0]));

    if (offServer?.sftp) {
      this.offServerKey =
        args.offServerKey ?? new tls.PrivateKey(`${name}-off-server-key`, { algorithm: "ED25519" }, { parent: this });
      this.offServerPublicKey = this.offServerKey.publicKeyOpenssh.apply((k) => k.trim());
    } else {
      this.offServerPublicKey = pulumi.output(undefined);
    }
    const secrets: pulumi.Output<BackupSecrets> | undefined = offServer
      ? offServerOutputs(offServer, this.offServerKey?.privateKeyOpenssh).secrets
      : undefined;

    const gateway = args.gateway;
    const { steps, rendered } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: BACKUP_STEPS,
      // Without offServer the step has no stdin, as before off-server backups existed.
      ...(secrets ? { secrets } : {}),
      after: args.runAfter ?? [gateway.ready],
    });
    this.step = steps.installBackupTimer;
    this.ready = this.step;
    this.renderedSteps = rendered;
    this.registerOutputs({ offServerPublicKey: this.offServerPublicKey });
  }
}

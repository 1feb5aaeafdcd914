import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import type { RemoteStep } from "./step.js";

/** How remote steps reach the host. */
export interface RemoteConnectionArgs {
  /** Tailnet host name or address. */
  readonly host: pulumi.Input<string>;
  /** Login user (the unprivileged admin user). */
  readonly user: pulumi.Input<string>;
  /** OpenSSH private key of the admin user (secret). */
  readonly privateKey: pulumi.Input<string>;
  /**
   * SSH dial attempts before giving up (15 s each). The provider default of 10
   * is too few for a host that is still booting; `-1` retries forever.
   */
  readonly dialErrorLimit?: number;
}

export interface RemoteStepArgs {
  readonly connection: RemoteConnectionArgs;
  /** The rendered step (its stdin is ignored here: pass it as `stdin`). */
  readonly step: pulumi.Input<RemoteStep>;
  /** Secret stdin, rendered separately so the rest of the step stays plain. */
  readonly stdin?: pulumi.Input<string>;
  /** Whether the step handles secrets: its output is then never logged. */
  readonly secret: boolean;
  /** Values whose change re-creates the step (e.g. the server id). */
  readonly triggers: pulumi.Input<unknown[]>;
}

/**
 * The one place a rendered step becomes a `remote.Command`. `create` and
 * `update` are the same idempotent script, so both a new host and a changed
 * input converge the same way; secrets travel only in `stdin`.
 */
export function createRemoteStep(
  resourceName: string,
  args: RemoteStepArgs,
  opts: pulumi.CustomResourceOptions,
): command.remote.Command {
  const step = pulumi.output(args.step);
  return new command.remote.Command(
    resourceName,
    {
      connection: {
        host: args.connection.host,
        user: args.connection.user,
        privateKey: pulumi.secret(args.connection.privateKey),
        ...(args.connection.dialErrorLimit !== undefined ? { dialErrorLimit: args.connection.dialErrorLimit } : {}),
      },
      create: step.command,
      update: step.command,
      environment: step.environment as pulumi.Output<Record<string, string>>,
      ...(args.stdin !== undefined ? { stdin: pulumi.secret(args.stdin) } : {}),
      logging: args.secret ? "none" : "stdoutAndStderr",
      // The provider would otherwise send PULUMI_COMMAND_STDOUT on updates,
      // which sshd (AcceptEnv OPENCLAW_* only) refuses.
      addPreviousOutputInEnv: false,
      triggers: args.triggers as pulumi.Input<unknown[]> as pulumi.Input<any[]>, // eslint-disable-line @typescript-eslint/no-explicit-any
    },
    opts,
  );
}

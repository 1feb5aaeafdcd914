import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import type { RemoteStep, StepSpec } from "./step.js";

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
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      triggers: args.triggers as pulumi.Input<unknown[]> as pulumi.Input<any[]>,
    },
    // `logging: none` only stops the streaming: the provider still stores
    // stdout and stderr as outputs, in plain text unless listed here, and a
    // secret step's output may echo part of its stdin (OpenClaw's parse errors do).
    args.secret
      ? { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "stdout", "stderr"] }
      : opts,
  );
}

/** One step of a chain: the rendered step, and its secret stdin if it has one. */
export interface ChainedStep {
  /** Suffix of the resource name: `${component}-${suffix}`. */
  readonly suffix: string;
  readonly step: pulumi.Input<RemoteStep>;
  readonly stdin?: pulumi.Input<string>;
  readonly secret?: boolean;
  /** SSH dial attempts for this step (see `RemoteConnectionArgs.dialErrorLimit`). */
  readonly dialErrorLimit?: number;
}

/** Where a chain of steps runs. */
export interface StepTarget {
  readonly connection: RemoteConnectionArgs;
  /** The server the steps run on: they are deleted with it. */
  readonly server: pulumi.Resource;
  /** A new server (same tailnet name) must get every step again. */
  readonly serverId: pulumi.Input<string>;
}

/**
 * Creates the steps of one component in order, each depending on the one
 * before it (and the first on `after`). Returns them in the same order.
 */
export function createStepChain(
  component: string,
  parent: pulumi.Resource,
  target: StepTarget,
  steps: readonly ChainedStep[],
  after: pulumi.Input<pulumi.Resource>[] = [],
): command.remote.Command[] {
  const created: command.remote.Command[] = [];
  for (const s of steps) {
    const previous = created[created.length - 1];
    created.push(
      createRemoteStep(
        `${component}-${s.suffix}`,
        {
          connection:
            s.dialErrorLimit !== undefined
              ? { ...target.connection, dialErrorLimit: s.dialErrorLimit }
              : target.connection,
          step: s.step,
          ...(s.stdin !== undefined ? { stdin: s.stdin } : {}),
          secret: s.secret ?? false,
          triggers: [target.serverId],
        },
        { parent, deletedWith: target.server, dependsOn: previous ? [previous] : after },
      ),
    );
  }
  return created;
}

/** `configureGateway` → `configure-gateway`: step keys as resource-name suffixes. */
export function kebabCase(s: string): string {
  return s.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}

/**
 * Where a component that builds on the gateway runs its steps: the gateway's
 * host and connection, with an optional other address.
 */
export function stepTarget(
  gateway: { connection: RemoteConnectionArgs; host: { server: pulumi.Resource; serverId: pulumi.Input<string> } },
  connectionHost?: pulumi.Input<string>,
): StepTarget {
  return {
    connection: connectionHost !== undefined ? { ...gateway.connection, host: connectionHost } : gateway.connection,
    server: gateway.host.server,
    serverId: gateway.host.serverId,
  };
}

/** What `createComponentSteps` needs to turn one component's rendering into its steps. */
export interface ComponentStepsArgs<T, Sec, K extends string> {
  /** Resource-name prefix and parent of the steps. */
  readonly component: string;
  readonly parent: pulumi.Resource;
  readonly target: StepTarget;
  /** The component's resolved, non-secret settings. */
  readonly settings: pulumi.Output<T>;
  /** How the component renders its steps. */
  readonly spec: StepSpec<T, Sec, K>;
  /** The real secrets; only the stdin of the spec's `secretSteps` is rendered with them. */
  readonly secrets?: pulumi.Output<Sec>;
  /** What the first step waits for. */
  readonly after: pulumi.Input<pulumi.Resource>[];
  /** SSH dial attempts per step, where not the provider default. */
  readonly dialErrorLimit?: Partial<Record<K, number>>;
}

/**
 * The one pattern every component follows: render with placeholders for
 * everything that may be shown, render again with the real secrets for stdin
 * only, and chain the steps in order.
 */
export function createComponentSteps<T, Sec, K extends string>(
  a: ComponentStepsArgs<T, Sec, K>,
): { steps: Record<K, command.remote.Command>; rendered: pulumi.Output<RemoteStep[]> } {
  const { spec } = a;
  const shown = a.settings.apply((s) => spec.render(s, spec.placeholders));
  const secretSteps = new Set<K>(spec.secretSteps ?? []);
  const created = createStepChain(
    a.component,
    a.parent,
    a.target,
    spec.order.map((key) => ({
      suffix: kebabCase(key),
      step: shown.apply((s) => s[key]),
      ...(secretSteps.has(key) && a.secrets
        ? {
            stdin: pulumi
              .all([a.settings, a.secrets])
              .apply(([s, sec]) => spec.render(s as T, sec as Sec)[key].stdin ?? ""),
            secret: true,
          }
        : {}),
      ...(a.dialErrorLimit?.[key] !== undefined ? { dialErrorLimit: a.dialErrorLimit[key] } : {}),
    })),
    a.after,
  );
  return {
    steps: Object.fromEntries(spec.order.map((key, i) => [key, created[i]!])) as Record<K, command.remote.Command>,
    rendered: shown.apply((all) => spec.order.map((key) => all[key])),
  };
}

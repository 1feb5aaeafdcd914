import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { Gateway } from "../gateway/gateway.js";
import { createStepChain, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import type { Rule } from "../validate/rules.js";
import { hostAddress } from "../validate/rules.js";
import { ArgValidator } from "../validate/validator.js";
import { renderBackupStep, type BackupSettings } from "./steps.js";

export const BACKUP_DEFAULTS = { enabled: true, schedule: "daily", keep: 7, hetzner: true } as const;

/** The `backups` block of `OpenClawDeploymentArgs` (`true`/`false` sets `hetzner` only). */
export interface BackupOptions {
  /**
   * On-host backups of OpenClaw's state with `openclaw backup create --verify`.
   * @default true
   */
  enabled?: boolean;
  /**
   * When, as a systemd `OnCalendar=` expression (checked on the host with `systemd-analyze calendar`).
   * @default "daily"
   */
  schedule?: pulumi.Input<string>;
  /**
   * How many archives to keep in `~/backups`.
   * @default 7
   */
  keep?: pulumi.Input<number>;
  /**
   * Hetzner's whole-disk server backups (20% of the server price).
   * @default true
   */
  hetzner?: pulumi.Input<boolean>;
}

export interface StateBackupsArgs extends Omit<BackupOptions, "enabled" | "hetzner"> {
  /**
   * Overrides the address this component's steps connect to.
   * @default the gateway's connection host
   */
  connectionHost?: pulumi.Input<string>;
  /** The gateway whose state is backed up. */
  gateway: Gateway;
  /**
   * Resources the step waits for.
   * @default the gateway's last step
   */
  runAfter?: pulumi.Resource[];
}

const calendar: Rule<string> = (v) =>
  v.trim() !== "" && !/[\n\r;|&$`]/.test(v)
    ? undefined
    : { problem: "is not a systemd calendar expression", expected: 'e.g. "daily", "weekly" or "*-*-* 03:00:00"' };
const keepCount: Rule<number> = (v) =>
  Number.isInteger(v) && v >= 1 && v <= 365 ? undefined : { problem: "is not a number of archives", expected: "an integer from 1 to 365" };

/** Checks backup arguments into `v` (paths under `prefix`) and fills in defaults. */
export function validateBackupArgs(args: Omit<BackupOptions, "enabled" | "hetzner">, v: ArgValidator, prefix = "") {
  return {
    schedule: v.check(`${prefix}schedule`, args.schedule ?? BACKUP_DEFAULTS.schedule, calendar),
    keep: v.check(`${prefix}keep`, args.keep ?? BACKUP_DEFAULTS.keep, keepCount),
  };
}

/**
 * Verified backups of OpenClaw's state (config, credentials, sessions,
 * workspace) on a systemd user timer, kept in `~/backups` (0700, archives
 * 0600), with a restore program beside them.
 */
export class StateBackups extends pulumi.ComponentResource {
  readonly step: command.remote.Command;
  /** The rendered step, with nothing secret in it. */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;

  constructor(name: string, args: StateBackupsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const v = new ArgValidator(`StateBackups "${name}"`);
    const c = validateBackupArgs(args, v);
    const connectionHost = args.connectionHost !== undefined ? v.check("connectionHost", args.connectionHost, hostAddress) : undefined;
    v.throwIfInvalid();
    super("openclaw:index:StateBackups", name, {}, opts);
    const settings: pulumi.Output<BackupSettings> = pulumi.all([c.schedule, c.keep]).apply(([schedule, keep]) => ({ schedule, keep }));
    const rendered = settings.apply(renderBackupStep);
    const gateway = args.gateway;
    this.step = createStepChain(
      name,
      this,
      stepTarget(gateway, connectionHost),
      [{ suffix: "install-backup-timer", step: rendered }],
      args.runAfter ?? [gateway.ready],
    )[0]!;
    this.renderedSteps = rendered.apply((s) => [s]);
    this.registerOutputs({});
  }
}

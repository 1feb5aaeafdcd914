import type * as pulumi from "@pulumi/pulumi";
import type { Unwrap } from "@pulumi/pulumi";
import type * as tls from "@pulumi/tls";
import type { Gateway } from "../gateway/gateway.js";
import type { Rule } from "../validate/rules.js";
import type { ArgValidator } from "../validate/validator.js";
import {
  offServerSettings,
  resolveOffServerArgs,
  type OffServerBackupOptions,
  type OffServerPlain,
} from "./off-server.js";
import type { BackupSettings } from "./steps.js";

/** Defaults of backups: on-host state backups and Hetzner's, both on. */
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
  /**
   * Each backup also goes to a restic repository on an SFTP server (a Hetzner
   * Storage Box, or any OpenSSH server) or in S3-compatible object storage,
   * encrypted, where it outlives the server. Needs `enabled`.
   * @default undefined (no off-server backups)
   */
  offServer?: OffServerBackupOptions;
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
   * With `offServer.sftp`: the ED25519 key the server logs in to the SFTP
   * server with. Pass one to share it with the gateway's `restoreFrom`.
   * @default a key this component generates
   */
  offServerKey?: tls.PrivateKey;
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
  Number.isInteger(v) && v >= 1 && v <= 365
    ? undefined
    : { problem: "is not a number of archives", expected: "an integer from 1 to 365" };

/** Checks backup arguments into `v` (paths under `prefix`) and fills in defaults. */
export function resolveBackupArgs(args: Omit<BackupOptions, "enabled" | "hetzner">, v: ArgValidator, prefix = "") {
  return {
    schedule: v.check(`${prefix}schedule`, args.schedule ?? BACKUP_DEFAULTS.schedule, calendar),
    keep: v.check(`${prefix}keep`, args.keep ?? BACKUP_DEFAULTS.keep, keepCount),
    ...(args.offServer !== undefined
      ? { offServer: resolveOffServerArgs(args.offServer, v, `${prefix}offServer.`) }
      : {}),
  };
}

/** The backup step's settings (no secret), from its resolved arguments. */
export function backupSettings(
  r: Unwrap<Omit<ReturnType<typeof resolveBackupArgs>, "offServer">> & {
    offServer?: OffServerPlain;
  },
): BackupSettings {
  return {
    schedule: r.schedule,
    keep: r.keep,
    ...(r.offServer ? { offServer: offServerSettings(r.offServer) } : {}),
  };
}

/**
 * Renders the backup step and its units. Pure.
 */
import { renderStep, type RemoteStep, type StepSpec } from "../remote/step.js";
import { removalSpec } from "../remote/removal.js";
import backupProgram from "./scripts/openclaw-backup.sh";
import installScript from "./scripts/install-backup-timer.sh";
import offServerProgram from "./scripts/openclaw-off-server.sh";
import restoreProgram from "./scripts/openclaw-restore.sh";
import restoreStateScript from "./scripts/restore-state.sh";
import serviceTemplate from "./openclaw-backup.service";
import timerTemplate from "./openclaw-backup.timer";
import {
  OFF_SERVER_DIR,
  OFF_SERVER_FILES,
  offServerRepository,
  renderOffServerKnownHosts,
  renderOffServerSshAlias,
  renderS3Credentials,
  type OffServerSettings,
} from "./off-server.js";

export interface BackupSettings {
  /** systemd `OnCalendar=` expression, e.g. `daily` or `*-*-* 03:00:00`. */
  readonly schedule: string;
  /** Archives kept (newest first). */
  readonly keep: number;
  /** Where each backup also goes, off the server; undefined: nowhere. */
  readonly offServer?: OffServerSettings;
}

/** The off-server repository's secrets; all absent without `offServer`. */
export interface BackupSecrets {
  /** restic's repository password. */
  readonly offServerPassword?: string;
  /** SFTP: the login key's private half, OpenSSH format. */
  readonly offServerPrivateKey?: string;
  /** S3: the access key's id. */
  readonly offServerAccessKeyId?: string;
  /** S3: the access key's secret. */
  readonly offServerSecretAccessKey?: string;
}

/**
 * The backup step's secrets from the resolved off-server arguments: the
 * password, then S3's key pair, or the SFTP login key (`sftpPrivateKey`).
 */
export function offServerSecrets(
  o: { readonly password: string; readonly s3Credentials?: { accessKeyId: string; secretAccessKey: string } },
  sftpPrivateKey: string | undefined,
): BackupSecrets {
  return o.s3Credentials
    ? {
        offServerPassword: o.password,
        offServerAccessKeyId: o.s3Credentials.accessKeyId,
        offServerSecretAccessKey: o.s3Credentials.secretAccessKey,
      }
    : { offServerPassword: o.password, offServerPrivateKey: sftpPrivateKey ?? "" };
}

export const BACKUP_SECRET_PLACEHOLDERS: Required<BackupSecrets> = {
  offServerPassword: "<secret:backups.offServer.password>",
  offServerPrivateKey: "<secret:offServerBackupPrivateKey>",
  offServerAccessKeyId: "<secret:backups.offServer.s3.accessKeyId>",
  offServerSecretAccessKey: "<secret:backups.offServer.s3.secretAccessKey>",
};

export function renderBackupUnits(s: BackupSettings): { service: string; timer: string } {
  return {
    service: serviceTemplate.replace("@KEEP@", String(s.keep)).trimEnd(),
    timer: timerTemplate.replace("@SCHEDULE@", s.schedule).trimEnd(),
  };
}

/** The restore program, for the docs and for hosts whose timer step has not run. */
export const RESTORE_PROGRAM: string = restoreProgram;
/** The backup program the timer runs. */
export const BACKUP_PROGRAM: string = backupProgram;

/** What the off-server repository's settings file holds: the repository, how to reach it and the retention. */
function offServerSettingsFile(o: OffServerSettings): string {
  return JSON.stringify({
    repository: offServerRepository(o),
    transport: o.s3 ? "s3" : "sftp",
    ...(o.s3?.region ? { region: o.s3.region } : {}),
    keepDaily: o.keepDaily,
    keepWeekly: o.keepWeekly,
    keepMonthly: o.keepMonthly,
  });
}

/**
 * What the off-server program's `login` reads from the environment: the
 * settings file and, for SFTP, the SSH alias and the pinned host keys (each
 * empty when unused).
 */
export function offServerEnvironment(o: OffServerSettings | undefined): Record<string, string> {
  return {
    OPENCLAW_OFF_SERVER_SETTINGS: o ? offServerSettingsFile(o) : "",
    OPENCLAW_OFF_SERVER_SSH_CONFIG: o?.sftp ? renderOffServerSshAlias(o.sftp).trimEnd() : "",
    OPENCLAW_OFF_SERVER_KNOWN_HOSTS: o?.sftp ? renderOffServerKnownHosts(o.sftp) : "",
  };
}

/** What `login` reads from stdin: the password on line 1, then the SFTP login key or the S3 credentials file. */
export function offServerStdin(o: OffServerSettings, secrets: BackupSecrets): string {
  const key = secrets.offServerPrivateKey ?? "";
  const login = o.s3
    ? renderS3Credentials({
        accessKeyId: secrets.offServerAccessKeyId ?? "",
        secretAccessKey: secrets.offServerSecretAccessKey ?? "",
      })
    : key.endsWith("\n")
      ? key
      : `${key}\n`;
  return `${secrets.offServerPassword ?? ""}\n${login}`;
}

export function renderBackupStep(s: BackupSettings, secrets: BackupSecrets = {}): RemoteStep {
  const units = renderBackupUnits(s);
  const o = s.offServer;
  return renderStep({
    name: "install-backup-timer",
    description: o
      ? "take verified state backups into ~/backups and the off-server repository on the declared schedule"
      : "take verified state backups into ~/backups on the declared schedule and keep the declared number",
    script: installScript,
    environment: {
      OPENCLAW_BACKUP_PROGRAM: backupProgram.trimEnd(),
      OPENCLAW_RESTORE_PROGRAM: restoreProgram.trimEnd(),
      OPENCLAW_OFF_SERVER_PROGRAM: offServerProgram.trimEnd(),
      OPENCLAW_BACKUP_SERVICE: units.service,
      OPENCLAW_BACKUP_TIMER: units.timer,
      OPENCLAW_BACKUP_SCHEDULE: s.schedule,
      ...offServerEnvironment(o),
    },
    ...(o ? { stdin: offServerStdin(o, secrets), secret: true } : {}),
  });
}

/**
 * The restore-state step (see restore-state.sh): on a server that has never
 * held state, the newest off-server snapshot, restored before the gateway is
 * configured.
 */
export function renderRestoreStateStep(o: OffServerSettings, port: number, secrets: BackupSecrets): RemoteStep {
  return renderStep({
    name: "restore-state",
    description:
      "on a server that never held OpenClaw state, restore the newest off-server snapshot before configuring",
    script: restoreStateScript,
    environment: {
      OPENCLAW_OFF_SERVER_PROGRAM: offServerProgram.trimEnd(),
      OPENCLAW_RESTORE_PROGRAM: restoreProgram.trimEnd(),
      OPENCLAW_GATEWAY_PORT: String(port),
      ...offServerEnvironment(o),
    },
    stdin: offServerStdin(o, secrets),
    secret: true,
  });
}

/** The backup component's one step; with off-server backups, its stdin carries their secrets. */
export const BACKUP_STEPS: StepSpec<BackupSettings, BackupSecrets, "installBackupTimer"> = {
  render: (s, secrets) => ({ installBackupTimer: renderBackupStep(s, secrets) }),
  order: ["installBackupTimer"],
  placeholders: BACKUP_SECRET_PLACEHOLDERS,
  secretSteps: ["installBackupTimer"],
};

/** With backups off: the timer and its program go; the archives and the restore program stay. */
export const BACKUP_REMOVAL = removalSpec("removeStateBackups", {
  name: "remove-state-backups",
  feature: "state backups",
  description: "state backups off: remove their timer and program; keep the archives and the restore program",
  units: ["openclaw-backup.timer", "openclaw-backup.service"],
  files: [
    ".local/lib/openclaw-infra/openclaw-backup.sh",
    // The off-server repository's login and password; its snapshots stay where they are.
    ...OFF_SERVER_FILES.map((f) => `${OFF_SERVER_DIR}/${f}`),
  ],
});

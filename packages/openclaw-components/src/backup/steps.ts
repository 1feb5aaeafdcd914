/**
 * Renders the backup step and its units. Pure.
 */
import { renderStep, type RemoteStep, type StepSpec } from "../remote/step.js";
import { removalSpec } from "../remote/removal.js";
import backupProgram from "./scripts/openclaw-backup.sh";
import installScript from "./scripts/install-backup-timer.sh";
import restoreProgram from "./scripts/openclaw-restore.sh";
import serviceTemplate from "./openclaw-backup.service";
import timerTemplate from "./openclaw-backup.timer";

export interface BackupSettings {
  /** systemd `OnCalendar=` expression, e.g. `daily` or `*-*-* 03:00:00`. */
  readonly schedule: string;
  /** Archives kept (newest first). */
  readonly keep: number;
}

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

export function renderBackupStep(s: BackupSettings): RemoteStep {
  const units = renderBackupUnits(s);
  return renderStep({
    name: "install-backup-timer",
    description: "take verified state backups into ~/backups on the declared schedule and keep the declared number",
    script: installScript,
    environment: {
      OPENCLAW_BACKUP_PROGRAM: backupProgram.trimEnd(),
      OPENCLAW_RESTORE_PROGRAM: restoreProgram.trimEnd(),
      OPENCLAW_BACKUP_SERVICE: units.service,
      OPENCLAW_BACKUP_TIMER: units.timer,
      OPENCLAW_BACKUP_SCHEDULE: s.schedule,
    },
  });
}

/** The backup component's one step; nothing in it is secret. */
export const BACKUP_STEPS: StepSpec<BackupSettings, Record<string, never>, "installBackupTimer"> = {
  render: (s) => ({ installBackupTimer: renderBackupStep(s) }),
  order: ["installBackupTimer"],
  placeholders: {},
};

/** With backups off: the timer and its program go; the archives and the restore program stay. */
export const BACKUP_REMOVAL = removalSpec("removeStateBackups", {
  name: "remove-state-backups",
  feature: "state backups",
  description: "state backups off: remove their timer and program; keep the archives and the restore program",
  units: ["openclaw-backup.timer", "openclaw-backup.service"],
  files: [".local/lib/openclaw-infra/openclaw-backup.sh"],
});

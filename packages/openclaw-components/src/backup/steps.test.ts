import { describe, expect, it } from "vitest";
import { ArgValidator } from "../validate/validator.js";
import { backupSettings, resolveBackupArgs } from "./args.js";
import { BACKUP_STEPS, renderBackupUnits } from "./steps.js";
import { renderSteps } from "../remote/step.js";

describe("the backup step", () => {
  it("fills the schedule and the number kept into the units, and the step's environment", () => {
    const units = renderBackupUnits({ schedule: "*-*-* 03:00:00", keep: 14 });
    expect(units.timer).toContain("OnCalendar=*-*-* 03:00:00\n");
    expect(units.service).toContain("Environment=OPENCLAW_BACKUP_KEEP=14\n");
    const [step] = renderSteps(BACKUP_STEPS, { schedule: "weekly", keep: 3 }, {});
    expect(step!.name).toBe("install-backup-timer");
    expect(step!.secret).toBe(false);
    expect(step!.environment.OPENCLAW_BACKUP_SCHEDULE).toBe("weekly");
    expect(step!.environment.OPENCLAW_BACKUP_TIMER).toContain("OnCalendar=weekly");
  });

  it("defaults to daily, seven kept, and refuses shell in the schedule and a keep out of range", () => {
    const ok = new ArgValidator("t");
    expect(backupSettings(resolveBackupArgs({}, ok) as never)).toEqual({ schedule: "daily", keep: 7 });
    const v = new ArgValidator("StateBackups");
    resolveBackupArgs({ schedule: "daily; rm -rf ~", keep: 0 }, v, "backups.");
    expect(() => v.throwIfInvalid()).toThrow(/backups\.schedule[\s\S]*backups\.keep/);
  });
});

/**
 * Renders the schedule sync: one step that makes the gateway's scheduled jobs
 * equal to the declared ones. Pure.
 */
import { renderStep, type RemoteStep, type StepSpec } from "../remote/step.js";
import { DECLARATION_KEY_PREFIX, type DeclaredJob } from "./schedules.js";
import syncSchedulesScript from "./scripts/sync-schedules.sh";

export interface ScheduleSettings {
  /** The declared jobs, each with its timezone and recipient filled in. */
  readonly jobs: readonly DeclaredJob[];
  readonly port: number;
}

export interface ScheduleSteps {
  readonly syncSchedules: RemoteStep;
}

/** A sync step: with an empty list it removes every job the library owns (and no other). */
export function renderSyncStep(
  name: string,
  description: string,
  jobs: readonly DeclaredJob[],
  port: number,
): RemoteStep {
  return renderStep({
    name,
    description,
    script: syncSchedulesScript,
    environment: {
      OPENCLAW_SCHEDULES: JSON.stringify(jobs),
      OPENCLAW_SCHEDULE_PREFIX: DECLARATION_KEY_PREFIX,
      OPENCLAW_GATEWAY_PORT: String(port),
    },
  });
}

export const SYNC_DESCRIPTION = `make the gateway's scheduled jobs equal to the declared ones (owned jobs carry the "${DECLARATION_KEY_PREFIX}" key prefix)`;

/** The schedules' one step, which also removes the library's jobs when none are declared. */
export const SCHEDULE_STEPS: StepSpec<ScheduleSettings, Record<string, never>, keyof ScheduleSteps> = {
  render: (s) => ({ syncSchedules: renderSyncStep("sync-schedules", SYNC_DESCRIPTION, s.jobs, s.port) }),
  order: ["syncSchedules"],
  placeholders: {},
};

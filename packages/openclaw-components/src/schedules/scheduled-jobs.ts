import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { checkConnectionHost } from "../remote/connection.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import type { RemoteStep } from "../remote/step.js";
import { resolveArgs } from "../validate/resolve-once.js";
import { resolveScheduleArgs, scheduleSettings, type ScheduledJobsArgs } from "./args.js";
import type { DeclaredJob } from "./schedules.js";
import { SCHEDULE_STEPS, type ScheduleSettings, type ScheduleSteps } from "./steps.js";

export type { ScheduledJobsArgs, ScheduleDeliveryArgs } from "./args.js";

/**
 * The gateway's scheduled jobs, declared: one step makes OpenClaw's jobs
 * equal to the list, matched by declaration key (`openclaw-infra:<name>`), so
 * a changed job is updated in place, a dropped one removed, and jobs made by
 * hand never touched. Each job announces on its `deliverTo` channel, which
 * must be configured before this runs.
 */
export class ScheduledJobs extends pulumi.ComponentResource {
  /** The jobs as the host syncs them (timezone and recipient filled in). */
  readonly jobs: pulumi.Output<DeclaredJob[]>;
  /** Everything the step is rendered from. */
  readonly settings: pulumi.Output<ScheduleSettings>;
  /** The rendered step (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly steps: Readonly<Record<keyof ScheduleSteps, command.remote.Command>>;
  /** The sync step: depend on it to run after the jobs are in place. */
  readonly ready: command.remote.Command;

  constructor(name: string, args: ScheduledJobsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { connectionHost, ...c } = resolveArgs(`ScheduledJobs "${name}"`, args, (a, v) => ({
      ...resolveScheduleArgs(a, v),
      connectionHost: checkConnectionHost(a.connectionHost, v),
    }));
    super("openclaw:index:ScheduledJobs", name, {}, opts);
    const gateway = args.gateway;
    this.settings = pulumi.all([pulumi.output(c), gateway.facts]).apply(([r, gw]) => scheduleSettings(r, gw));
    this.jobs = this.settings.apply((s) => [...s.jobs]);
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings: this.settings,
      spec: SCHEDULE_STEPS,
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.syncSchedules;
    this.registerOutputs({ jobs: this.jobs });
  }
}

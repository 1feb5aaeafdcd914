/**
 * The verify step: runs last and checks the host the way an operator would.
 * Pure rendering and report parsing.
 */
import { createHash } from "node:crypto";
import { renderStep, type RemoteStep } from "../remote/step.js";
import verifyScript from "./scripts/verify.sh";

export interface VerifySettings {
  readonly port: number;
  readonly openclawVersion: string;
  /** The host's pinned Node version. */
  readonly nodeVersion: string;
  /** The node's expected tailnet name: the server's name, or its full DNS name when the tailnet's is known. */
  readonly nodeName: string;
  /** Model providers whose credential OpenClaw must hold (its `<provider>:manual` profile). */
  readonly modelProviders?: readonly string[];
  /** Chat channels that must be connected (e.g. `telegram`). */
  readonly channels?: readonly string[];
  /** The sandbox image to expect; undefined without a sandbox. */
  readonly sandboxImage?: string;
  /** Declaration keys of the declared jobs; undefined without Telegram. */
  readonly scheduleKeys?: readonly string[];
  /** Whether the workspace sync timer must be active. */
  readonly syncTimer: boolean;
  /**
   * The agents' workspace sync timers that must be active (unit names).
   * @default none
   */
  readonly agentSyncTimers?: readonly string[];
  /** Whether the state backup timer must be active (its newest archive's age is reported). */
  readonly backupTimer?: boolean;
  /** Whether the off-server repository must answer with a snapshot (its age is reported). */
  readonly offServerBackup?: boolean;
  /** The other steps, so that verify runs again after any of them changes. */
  readonly otherSteps: readonly RemoteStep[];
}

/** One check of the report. */
export interface VerifyCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What the verify step found, as the `verifyReport` output. */
export interface VerifyReport {
  readonly host: string;
  readonly ok: boolean;
  readonly checks: VerifyCheck[];
}

/**
 * A digest of what the other steps apply (their commands and environment,
 * never their secret stdin): verify re-runs whenever one of them changes.
 */
export function stepsDigest(steps: readonly RemoteStep[]): string {
  const h = createHash("sha256");
  for (const s of steps) h.update(JSON.stringify([s.name, s.command, s.environment]));
  return h.digest("hex");
}

export function renderVerifyStep(s: VerifySettings): RemoteStep {
  return renderStep({
    name: "verify",
    description:
      "check the host: tailnet and its name, Serve, firewall, listeners, service, health, channels, audit, versions",
    script: verifyScript,
    environment: {
      OPENCLAW_GATEWAY_PORT: String(s.port),
      OPENCLAW_VERSION: s.openclawVersion,
      OPENCLAW_NODE_VERSION: s.nodeVersion,
      OPENCLAW_VERIFY_NODE_NAME: s.nodeName,
      OPENCLAW_VERIFY_CHANNELS: JSON.stringify(s.channels ?? []),
      OPENCLAW_VERIFY_MODEL_PROVIDERS: (s.modelProviders ?? []).join(" "),
      OPENCLAW_VERIFY_SANDBOX_IMAGE: s.sandboxImage ?? "",
      OPENCLAW_VERIFY_SCHEDULE_KEYS: s.scheduleKeys ? JSON.stringify(s.scheduleKeys) : "",
      OPENCLAW_VERIFY_SYNC_TIMER: s.syncTimer ? "yes" : "no",
      OPENCLAW_VERIFY_AGENT_SYNC_TIMERS: JSON.stringify(s.agentSyncTimers ?? []),
      OPENCLAW_VERIFY_BACKUP_TIMER: s.backupTimer ? "yes" : "no",
      OPENCLAW_VERIFY_OFF_SERVER: s.offServerBackup ? "yes" : "no",
      OPENCLAW_VERIFY_INPUTS: stepsDigest(s.otherSteps),
    },
  });
}

/** Reads the report from the step's output (the JSON line before the last line). */
export function parseVerifyReport(stdout: string): VerifyReport | undefined {
  const line = stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith('{"host":'));
  if (!line) return undefined;
  try {
    return JSON.parse(line) as VerifyReport;
  } catch {
    return undefined;
  }
}

/**
 * Renders WorkspaceSync's remote steps: set up the repository (secret: the
 * deploy key on stdin), then install the timer. Pure.
 */
import { renderStep, type RemoteStep, type StepSpec } from "../remote/step.js";
import { removalSpec } from "../remote/removal.js";
import installTimerScript from "./scripts/install-sync-timer.sh";
import setupScript from "./scripts/setup-workspace.sh";
import syncProgram from "./scripts/workspace-sync.sh";
import {
  aliasRemote,
  DEPLOY_KEY_PATH,
  parseGitSshUrl,
  renderSshAlias,
  renderSyncTimer,
  SYNC_SERVICE_UNIT,
  WORKSPACE_EXCLUDE,
  WORKSPACE_GITIGNORE,
} from "./workspace-config.js";

export interface WorkspaceSyncSettings {
  /** SSH git URL of the remote (validated). */
  readonly repoUrl: string;
  /** Sync interval in seconds (divides an hour or a day). */
  readonly intervalSeconds: number;
  readonly gitUserName: string;
  readonly gitUserEmail: string;
}

export interface WorkspaceSyncSecrets {
  /** The deploy key's private half, OpenSSH format. */
  readonly deployPrivateKey: string;
}

export const WORKSPACE_SECRET_PLACEHOLDERS: WorkspaceSyncSecrets = {
  deployPrivateKey: "<secret:workspaceDeployPrivateKey>",
};

export interface WorkspaceSyncSteps {
  readonly setupWorkspace: RemoteStep;
  readonly installSyncTimer: RemoteStep;
}

export function renderWorkspaceSyncSteps(s: WorkspaceSyncSettings, secrets: WorkspaceSyncSecrets): WorkspaceSyncSteps {
  const url = parseGitSshUrl(s.repoUrl);
  if (!url) throw new Error(`not an SSH git URL: ${s.repoUrl}`);
  return {
    setupWorkspace: renderStep({
      name: "setup-workspace",
      description:
        "make ~/.openclaw/workspace a git repository pushing to the declared remote with the deploy key only",
      script: setupScript,
      environment: {
        OPENCLAW_WORKSPACE_REMOTE: aliasRemote(url),
        OPENCLAW_WORKSPACE_SSH_CONFIG: renderSshAlias(url),
        OPENCLAW_WORKSPACE_GITIGNORE: WORKSPACE_GITIGNORE.trimEnd(),
        OPENCLAW_WORKSPACE_EXCLUDE: WORKSPACE_EXCLUDE.trimEnd(),
        OPENCLAW_GIT_USER_NAME: s.gitUserName,
        OPENCLAW_GIT_USER_EMAIL: s.gitUserEmail,
      },
      stdin: secrets.deployPrivateKey.endsWith("\n") ? secrets.deployPrivateKey : `${secrets.deployPrivateKey}\n`,
      secret: true,
    }),
    installSyncTimer: renderStep({
      name: "install-sync-timer",
      description: "install the workspace sync timer and run a first, best-effort sync",
      script: installTimerScript,
      environment: {
        OPENCLAW_SYNC_SCRIPT: syncProgram.trimEnd(),
        OPENCLAW_SYNC_SERVICE: SYNC_SERVICE_UNIT.trimEnd(),
        OPENCLAW_SYNC_TIMER: renderSyncTimer(s.intervalSeconds).trimEnd(),
      },
    }),
  };
}

/** WorkspaceSync's steps: the repository (the deploy key on stdin), then the timer. */
export const WORKSPACE_SYNC_STEPS: StepSpec<WorkspaceSyncSettings, WorkspaceSyncSecrets, keyof WorkspaceSyncSteps> = {
  render: renderWorkspaceSyncSteps,
  order: ["setupWorkspace", "installSyncTimer"],
  placeholders: WORKSPACE_SECRET_PLACEHOLDERS,
  secretSteps: ["setupWorkspace"],
};

/** With no repository: the timer, its program and the deploy key go; the workspace itself stays. */
export const WORKSPACE_SYNC_REMOVAL = removalSpec("removeWorkspaceSync", {
  name: "remove-workspace-sync",
  feature: "workspace sync",
  description: "workspace sync off: remove its timer, program and deploy key; keep the workspace",
  units: ["openclaw-workspace-sync.timer", "openclaw-workspace-sync.service"],
  files: [
    ".local/lib/openclaw-infra/workspace-sync.sh",
    DEPLOY_KEY_PATH.replace(/^~\//, ""),
    ".ssh/config.d/openclaw-workspace.conf",
  ],
});

/**
 * Renders WorkspaceSync's remote steps: set up the repository (secret: the
 * deploy key on stdin), then install the timer. Pure.
 */
import { renderStep, type RemoteStep, type StepSpec } from "../remote/step.js";
import { removalSpec } from "../remote/removal.js";
import installTimerScript from "./scripts/install-sync-timer.sh";
import setupScript from "./scripts/setup-workspace.sh";
import syncProgram from "./scripts/workspace-sync.sh";
import type { AgentWorkspaceRepo } from "../agents/args.js";
import {
  AGENT_SYNC_FILE_GLOBS,
  AGENT_SYNC_UNIT_GLOBS,
  agentSyncNames,
  aliasRemote,
  DEPLOY_KEY_PATH,
  parseGitSshUrl,
  renderAgentSyncService,
  WORKSPACE_GIT_DIR,
  renderSshAlias,
  renderSyncTimer,
  SYNC_SERVICE_UNIT,
  WORKSPACE_EXCLUDE,
  WORKSPACE_GITIGNORE,
  underHome,
} from "./workspace-config.js";

export interface WorkspaceSyncSettings {
  /** SSH git URL of the remote (validated). */
  readonly repoUrl: string;
  /** Sync interval in seconds (divides an hour or a day). */
  readonly intervalSeconds: number;
  readonly gitUserName: string;
  readonly gitUserEmail: string;
  /** Other agents' workspaces with repositories of their own (validated). */
  readonly agents: readonly AgentWorkspaceRepo[];
}

export interface WorkspaceSyncSecrets {
  /** The deploy key's private half, OpenSSH format. */
  readonly deployPrivateKey: string;
  /** Each agent's deploy key (private half, OpenSSH), by agent id. */
  readonly agentDeployPrivateKeys: Readonly<Record<string, string>>;
}

/** Shown for an agent's deploy key (the placeholders have none of their own: agents vary). */
export const agentKeyPlaceholder = (id: string) => `<secret:agentWorkspaceDeployPrivateKey:${id}>`;

export const WORKSPACE_SECRET_PLACEHOLDERS: WorkspaceSyncSecrets = {
  deployPrivateKey: "<secret:workspaceDeployPrivateKey>",
  agentDeployPrivateKeys: {},
};

const withNewline = (key: string) => (key.endsWith("\n") ? key : `${key}\n`);

export interface WorkspaceSyncSteps {
  readonly setupWorkspace: RemoteStep;
  readonly installSyncTimer: RemoteStep;
}

function gitUrl(repoUrl: string) {
  const url = parseGitSshUrl(repoUrl);
  if (!url) throw new Error(`not an SSH git URL: ${repoUrl}`);
  return url;
}

export function renderWorkspaceSyncSteps(s: WorkspaceSyncSettings, secrets: WorkspaceSyncSecrets): WorkspaceSyncSteps {
  const url = gitUrl(s.repoUrl);
  const agents = s.agents.map((a) => ({ ...a, names: agentSyncNames(a.id), dir: underHome(a.workspace) }));
  // The keys travel on stdin, as one JSON document: the main workspace's and each agent's.
  const keys = {
    main: withNewline(secrets.deployPrivateKey),
    agents: Object.fromEntries(
      agents.map((a) => [a.id, withNewline(secrets.agentDeployPrivateKeys[a.id] ?? agentKeyPlaceholder(a.id))]),
    ),
  };
  return {
    setupWorkspace: renderStep({
      name: "setup-workspace",
      description:
        "make ~/.openclaw/workspace a git repository pushing to the declared remote with the deploy key only",
      script: setupScript,
      environment: {
        OPENCLAW_WORKSPACE_REMOTE: aliasRemote(url),
        OPENCLAW_WORKSPACE_GIT_DIR: WORKSPACE_GIT_DIR,
        OPENCLAW_WORKSPACE_SSH_CONFIG: renderSshAlias(url),
        OPENCLAW_WORKSPACE_GITIGNORE: WORKSPACE_GITIGNORE.trimEnd(),
        OPENCLAW_WORKSPACE_EXCLUDE: WORKSPACE_EXCLUDE.trimEnd(),
        OPENCLAW_GIT_USER_NAME: s.gitUserName,
        OPENCLAW_GIT_USER_EMAIL: s.gitUserEmail,
        OPENCLAW_AGENT_WORKSPACES: JSON.stringify(
          agents.map((a) => ({
            id: a.id,
            dir: a.dir,
            gitDir: a.names.gitDir,
            remote: aliasRemote(gitUrl(a.repoUrl), a.names.alias),
            sshConfig: renderSshAlias(gitUrl(a.repoUrl), a.names.alias, `~/${a.names.keyFile}`),
            keyFile: a.names.keyFile,
            sshConfigFile: a.names.sshConfigFile,
          })),
        ),
        OPENCLAW_AGENT_SYNC_FILE_GLOBS: JSON.stringify(AGENT_SYNC_FILE_GLOBS),
      },
      stdin: `${JSON.stringify(keys)}\n`,
      secret: true,
    }),
    installSyncTimer: renderStep({
      name: "install-sync-timer",
      description: "install the workspace sync timer and run a first, best-effort sync",
      script: installTimerScript,
      environment: {
        OPENCLAW_SYNC_SCRIPT: syncProgram.trimEnd(),
        OPENCLAW_WORKSPACE_GIT_DIR: WORKSPACE_GIT_DIR,
        OPENCLAW_SYNC_SERVICE: SYNC_SERVICE_UNIT.trimEnd(),
        OPENCLAW_SYNC_TIMER: renderSyncTimer(s.intervalSeconds).trimEnd(),
        OPENCLAW_SYNC_AGENTS: JSON.stringify(
          agents.map((a) => ({
            id: a.id,
            dir: a.dir,
            gitDir: a.names.gitDir,
            service: a.names.service,
            serviceText: renderAgentSyncService(a.id, a.workspace).trimEnd(),
            timer: a.names.timer,
          })),
        ),
        OPENCLAW_SYNC_AGENT_UNIT_GLOBS: JSON.stringify(AGENT_SYNC_UNIT_GLOBS),
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

/**
 * With no repository: the timers, their program and the deploy keys go (the
 * agents' too); the workspaces themselves stay.
 */
export const WORKSPACE_SYNC_REMOVAL = removalSpec("removeWorkspaceSync", {
  name: "remove-workspace-sync",
  feature: "workspace sync",
  description: "workspace sync off: remove its timers, program and deploy keys; keep the workspaces",
  units: ["openclaw-workspace-sync.timer", "openclaw-workspace-sync.service", ...AGENT_SYNC_UNIT_GLOBS],
  files: [
    ".local/lib/openclaw-infra/workspace-sync.sh",
    underHome(DEPLOY_KEY_PATH),
    ".ssh/config.d/openclaw-workspace.conf",
    ...AGENT_SYNC_FILE_GLOBS,
  ],
});

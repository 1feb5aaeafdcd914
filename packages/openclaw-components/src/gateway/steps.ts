/**
 * Renders the gateway's remote steps, in the order they run. Pure. The
 * component calls this twice with the same settings: once with placeholder
 * secrets for everything that may be shown (command, environment), once with
 * the real secrets for stdin only.
 */
import type { RemoteStep } from "../remote/step.js";
import { MODEL_AUTH_PROVIDERS, type ModelAuthProvider } from "../validate/rules.js";
import { renderStep, type StepSpec } from "../remote/step.js";
import { configText, renderGatewayConfig, type GatewayConfigSettings } from "./openclaw-config.js";
import configureGatewayScript from "./scripts/configure-gateway.sh";
import installOpenclawScript from "./scripts/install-openclaw.sh";
import startGatewayScript from "./scripts/start-gateway.sh";
import waitForHostScript from "./scripts/wait-for-host.sh";
import unitTemplate from "./openclaw-gateway.service";
import restoreProgram from "../backup/scripts/openclaw-restore.sh";
import { BACKUP_SECRET_PLACEHOLDERS, renderRestoreStateStep, type BackupSecrets } from "../backup/steps.js";
import type { OffServerSettings } from "../backup/off-server.js";

/** SHA-256 of the Node archive per CPU architecture. */
export interface NodeRuntimeChecksums {
  readonly x64: string;
  readonly arm64: string;
}

/** Where the host downloads Node from, and the checksums it verifies. */
export interface NodeRuntimeSettings {
  /** Node.js version, e.g. `24.21.0`. */
  readonly version: string;
  /** Base URL holding `v<version>/node-v<version>-linux-<arch>.tar.gz`. */
  readonly distBaseUrl: string;
  /** SHA-256 of the archive per CPU architecture. */
  readonly sha256: NodeRuntimeChecksums;
}

/** Which model credentials the host holds (their values are secrets, apart). */
export interface ModelAuthSettings {
  /** A Claude setup token for `anthropic`. */
  readonly setupToken: boolean;
  /** The providers with an API key, in `MODEL_AUTH_PROVIDERS` order. */
  readonly apiKeys: readonly ModelAuthProvider[];
}

export interface GatewaySettings extends GatewayConfigSettings {
  readonly openclawVersion: string;
  readonly nodeRuntime: NodeRuntimeSettings;
  readonly modelAuth: ModelAuthSettings;
  /** Where a server that never held state restores it from; undefined: nowhere (it starts empty). */
  readonly restore?: OffServerSettings;
}

export interface GatewaySecrets {
  readonly gatewayToken: string;
  /** Empty when the deployment has none. */
  readonly claudeSetupToken: string;
  /** API keys by provider; a provider missing here is shown as its placeholder. */
  readonly modelApiKeys: Partial<Record<ModelAuthProvider, string>>;
  /** The off-server repository's login, with `restore`; its placeholders when absent. */
  readonly restore?: BackupSecrets;
}

/** Shown wherever a secret would be, in plans and in test renderings. */
export const SECRET_PLACEHOLDERS: GatewaySecrets = {
  gatewayToken: "<secret:gatewayToken>",
  claudeSetupToken: "<secret:claudeSetupToken>",
  modelApiKeys: {},
  restore: BACKUP_SECRET_PLACEHOLDERS,
};

/** The declared credentials as configure-gateway reads them: `anthropic:setup-token openai:api-key`. */
export function modelAuthWords(auth: ModelAuthSettings): string {
  return [...(auth.setupToken ? ["anthropic:setup-token"] : []), ...auth.apiKeys.map((p) => `${p}:api-key`)].join(" ");
}

/**
 * configure-gateway's stdin: the setup token on line 1 (empty without one),
 * the API keys as one line of JSON on line 2, then the gateway's config patch.
 */
function renderCredentialLines(auth: ModelAuthSettings, secrets: GatewaySecrets): string {
  const keys = Object.fromEntries(
    auth.apiKeys.map((p) => [p, secrets.modelApiKeys[p] ?? `<secret:modelAuth.${p}.apiKey>`]),
  );
  return `${auth.setupToken ? secrets.claudeSetupToken : ""}\n${JSON.stringify(keys)}\n`;
}

export interface GatewaySteps {
  readonly waitForHost: RemoteStep;
  readonly installOpenclaw: RemoteStep;
  /** With `restore` only. */
  readonly restoreState?: RemoteStep;
  readonly configureGateway: RemoteStep;
  readonly startGateway: RemoteStep;
}

/** The systemd user unit that runs the gateway. */
export function renderGatewayUnit(port: number): string {
  return unitTemplate.replaceAll("@PORT@", String(port)).trimEnd();
}

export function renderGatewaySteps(s: GatewaySettings, secrets: GatewaySecrets): GatewaySteps {
  const port = String(s.port);
  return {
    waitForHost: renderStep({
      name: "wait-for-host",
      description: "wait for cloud-init to finish the first boot and the user manager to start",
      script: waitForHostScript,
    }),
    installOpenclaw: renderStep({
      name: "install-openclaw",
      description:
        "install the declared Node (checksum-verified) and OpenClaw releases; upgrade with a backup and roll back on failure",
      script: installOpenclawScript,
      environment: {
        OPENCLAW_VERSION: s.openclawVersion,
        OPENCLAW_NODE_VERSION: s.nodeRuntime.version,
        OPENCLAW_NODE_DIST_URL: s.nodeRuntime.distBaseUrl,
        OPENCLAW_NODE_SHA256_X64: s.nodeRuntime.sha256.x64,
        OPENCLAW_NODE_SHA256_ARM64: s.nodeRuntime.sha256.arm64,
        OPENCLAW_GATEWAY_PORT: port,
        // A rolled-back upgrade whose new release migrated the state restores
        // the archive it took before switching (the same program users run).
        OPENCLAW_RESTORE_PROGRAM: restoreProgram.trimEnd(),
      },
    }),
    // After the install (the restore is OpenClaw's own `backup restore`),
    // before anything is configured: the later steps converge on the
    // restored state and its markers.
    ...(s.restore
      ? { restoreState: renderRestoreStateStep(s.restore, s.port, secrets.restore ?? BACKUP_SECRET_PLACEHOLDERS) }
      : {}),
    configureGateway: renderStep({
      name: "configure-gateway",
      description:
        "apply the gateway config (openclaw config patch; file 0600) and store the model credentials; restart on change",
      script: configureGatewayScript,
      environment: {
        OPENCLAW_GATEWAY_PORT: port,
        OPENCLAW_MODEL_AUTH_PROVIDERS: MODEL_AUTH_PROVIDERS.join(" "),
        // Which credentials stdin holds: the plan shows them, and one
        // dropped from here is logged out.
        OPENCLAW_MODEL_AUTH: modelAuthWords(s.modelAuth),
      },
      stdin: `${renderCredentialLines(s.modelAuth, secrets)}${configText(renderGatewayConfig(s, secrets))}`,
      secret: true,
    }),
    startGateway: renderStep({
      name: "start-gateway",
      description: "install and start the openclaw-gateway systemd user service; wait for /readyz",
      script: startGatewayScript,
      environment: { OPENCLAW_GATEWAY_PORT: port, OPENCLAW_GATEWAY_UNIT: renderGatewayUnit(s.port) },
    }),
  };
}

/**
 * The gateway's steps: wait-for-host → install-openclaw → (restore-state, with
 * off-server backups to restore from) → configure-gateway → start-gateway.
 */
export function gatewayStepSpec(restore: boolean): StepSpec<GatewaySettings, GatewaySecrets, keyof GatewaySteps> {
  return {
    render: renderGatewaySteps as StepSpec<GatewaySettings, GatewaySecrets, keyof GatewaySteps>["render"],
    order: [
      "waitForHost",
      "installOpenclaw",
      ...(restore ? (["restoreState"] as const) : []),
      "configureGateway",
      "startGateway",
    ],
    placeholders: SECRET_PLACEHOLDERS,
    secretSteps: restore ? ["restoreState", "configureGateway"] : ["configureGateway"],
  };
}

/** The gateway's steps without a restore. */
export const GATEWAY_STEPS = gatewayStepSpec(false);

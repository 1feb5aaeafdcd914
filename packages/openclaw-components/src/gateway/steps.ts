/**
 * Renders the gateway's remote steps, in the order they run. Pure. The
 * component calls this twice with the same settings: once with placeholder
 * secrets for everything that may be shown (command, environment), once with
 * the real secrets for stdin only.
 */
import type { RemoteStep } from "../remote/step.js";
import { renderStep, type StepSpec } from "../remote/step.js";
import { configText, renderGatewayConfig, type GatewayConfigSettings } from "./openclaw-config.js";
import configureGatewayScript from "./scripts/configure-gateway.sh";
import installOpenclawScript from "./scripts/install-openclaw.sh";
import startGatewayScript from "./scripts/start-gateway.sh";
import waitForHostScript from "./scripts/wait-for-host.sh";
import unitTemplate from "./openclaw-gateway.service";
import restoreProgram from "../backup/scripts/openclaw-restore.sh";

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

export interface GatewaySettings extends GatewayConfigSettings {
  readonly openclawVersion: string;
  readonly nodeRuntime: NodeRuntimeSettings;
}

export interface GatewaySecrets {
  readonly gatewayToken: string;
  readonly claudeSetupToken: string;
}

/** Shown wherever a secret would be, in plans and in test renderings. */
export const SECRET_PLACEHOLDERS: GatewaySecrets = {
  gatewayToken: "<secret:gatewayToken>",
  claudeSetupToken: "<secret:claudeSetupToken>",
};

export interface GatewaySteps {
  readonly waitForHost: RemoteStep;
  readonly installOpenclaw: RemoteStep;
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
    configureGateway: renderStep({
      name: "configure-gateway",
      description:
        "apply the gateway config (openclaw config patch; file 0600) and store the Anthropic setup token; restart on change",
      script: configureGatewayScript,
      environment: { OPENCLAW_GATEWAY_PORT: port },
      stdin: `${secrets.claudeSetupToken}\n${configText(renderGatewayConfig(s, secrets))}`,
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

/** The gateway's steps: wait-for-host → install-openclaw → configure-gateway → start-gateway. */
export const GATEWAY_STEPS: StepSpec<GatewaySettings, GatewaySecrets, keyof GatewaySteps> = {
  render: renderGatewaySteps,
  order: ["waitForHost", "installOpenclaw", "configureGateway", "startGateway"],
  placeholders: SECRET_PLACEHOLDERS,
  secretSteps: ["configureGateway"],
};

/**
 * Renders the sandbox's remote steps, in order: install Docker (and the
 * metadata block), build the images, then point the gateway at the image.
 * Pure; nothing here is secret.
 */
import { configText } from "../gateway/openclaw-config.js";
import { renderStep, type RemoteStep, type StepSpec } from "../remote/step.js";
import { removalSpec } from "../remote/removal.js";
import blockMetadataScript from "./scripts/block-metadata.sh";
import buildImageScript from "./scripts/build-sandbox-image.sh";
import configureSandboxScript from "./scripts/configure-sandbox.sh";
import installDockerScript from "./scripts/install-docker.sh";
import metadataBlockUnit from "./openclaw-metadata-block.service";
import { BASE_DOCKERFILE, BASE_IMAGE_TAG, renderSandboxConfig, type SandboxConfigSettings } from "./sandbox-config.js";

export interface SandboxSettings extends SandboxConfigSettings {
  /** The custom image's Dockerfile, as rendered by `renderSandboxDockerfile`. */
  readonly dockerfile: string;
  /** OpenClaw version on the host: a new version rebuilds the image. */
  readonly openclawVersion: string;
  /** Claude Code version baked into the image. */
  readonly claudeCodeVersion: string;
  /** The host's Node version, copied into the image: a new one rebuilds it. */
  readonly nodeVersion: string;
  /** Gateway port, to wait for it after a restart. */
  readonly port: number;
}

export interface SandboxSteps {
  readonly installDocker: RemoteStep;
  readonly buildSandboxImage: RemoteStep;
  readonly configureSandbox: RemoteStep;
}

export function renderSandboxSteps(s: SandboxSettings): SandboxSteps {
  const port = String(s.port);
  return {
    installDocker: renderStep({
      name: "install-docker",
      description:
        "install docker.io, give the gateway's user manager the docker group, block the metadata service for containers",
      script: installDockerScript,
      environment: {
        OPENCLAW_BLOCK_SCRIPT: blockMetadataScript.trimEnd(),
        OPENCLAW_BLOCK_UNIT: metadataBlockUnit.trimEnd(),
        OPENCLAW_GATEWAY_PORT: port,
      },
    }),
    buildSandboxImage: renderStep({
      name: "build-sandbox-image",
      description:
        "build the base and the sandbox image when their Dockerfiles or versions change; remove stale sandbox containers",
      script: buildImageScript,
      environment: {
        OPENCLAW_SANDBOX_BASE_DOCKERFILE: BASE_DOCKERFILE.trimEnd(),
        OPENCLAW_SANDBOX_DOCKERFILE: s.dockerfile.trimEnd(),
        OPENCLAW_SANDBOX_BASE_IMAGE: BASE_IMAGE_TAG,
        OPENCLAW_SANDBOX_IMAGE: s.image,
        OPENCLAW_VERSION: s.openclawVersion,
        OPENCLAW_CLAUDE_CODE_VERSION: s.claudeCodeVersion,
        OPENCLAW_NODE_VERSION: s.nodeVersion,
        OPENCLAW_GATEWAY_PORT: port,
      },
    }),
    configureSandbox: renderStep({
      name: "configure-sandbox",
      description:
        "point the gateway's sandbox at the image, mode, workspace access and network declared; restart on change",
      script: configureSandboxScript,
      environment: {
        OPENCLAW_CONFIG_PATCH: configText(renderSandboxConfig(s)).trimEnd(),
        OPENCLAW_SANDBOX_IMAGE: s.image,
        OPENCLAW_GATEWAY_PORT: port,
      },
    }),
  };
}

/** The sandbox's steps; none carries a secret. */
export const SANDBOX_STEPS: StepSpec<SandboxSettings, Record<string, never>, keyof SandboxSteps> = {
  render: (s) => renderSandboxSteps(s),
  order: ["installDocker", "buildSandboxImage", "configureSandbox"],
  placeholders: {},
};

/** The label build-sandbox-image.sh puts on every image it builds. */
export const SANDBOX_BUILD_LABEL = "org.openclaw.infra.build-hash";

/** With the sandbox off: its containers, images and config part go; Docker and the metadata block stay. */
export const SANDBOX_REMOVAL = removalSpec("removeSandbox", {
  name: "remove-sandbox",
  feature: "the sandbox",
  description: "sandbox off: remove its containers, its images and its config part; restart the gateway on change",
  containerPrefix: "openclaw-sbx-",
  imageLabel: SANDBOX_BUILD_LABEL,
  images: [BASE_IMAGE_TAG],
  configPaths: ["agents.defaults.sandbox"],
  markers: ["config-sandbox"],
});

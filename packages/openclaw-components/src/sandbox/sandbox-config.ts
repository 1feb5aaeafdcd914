/**
 * The sandbox's part of `openclaw.json` and its Dockerfiles. Pure.
 */
import type { ConfigPatch } from "../gateway/openclaw-config.js";
import baseDockerfile from "./sandbox-base.Dockerfile";
import customDockerfile from "./sandbox-custom.Dockerfile";

/** `agents.defaults.sandbox.*` as the library sets it. */
export interface SandboxConfigSettings {
  /** `off`, `non-main` or `all`. */
  readonly mode: "off" | "non-main" | "all";
  /** `none`, `ro` or `rw`. */
  readonly workspaceAccess: "none" | "ro" | "rw";
  /** Docker network of sandbox containers, e.g. `bridge` or `none`. */
  readonly network: string;
  /** Image tag sessions run in. */
  readonly image: string;
}

export function renderSandboxConfig(s: SandboxConfigSettings): ConfigPatch {
  return {
    agents: {
      defaults: {
        sandbox: { mode: s.mode, workspaceAccess: s.workspaceAccess, docker: { network: s.network, image: s.image } },
      },
    },
  };
}

/** OpenClaw's default base image tag, which the custom image builds on. */
export const BASE_IMAGE_TAG = "openclaw-sandbox:bookworm-slim";

/** The shipped base Dockerfile (OpenClaw's documented default image). */
export const BASE_DOCKERFILE: string = baseDockerfile;

const EXTRA_LINES_MARKER = "# @EXTRA_LINES@";

/**
 * The custom image's Dockerfile: the user's own when given, else the shipped
 * one with `extraLines` (run as root, before the final `USER 1000:1000`).
 */
export function renderSandboxDockerfile(opts: { extraLines?: readonly string[]; dockerfile?: string }): string {
  if (opts.dockerfile !== undefined) return opts.dockerfile;
  const extras =
    opts.extraLines && opts.extraLines.length > 0
      ? ["# Extra lines from sandbox.dockerfileExtras:", ...opts.extraLines].join("\n")
      : "";
  return customDockerfile.replace(EXTRA_LINES_MARKER, extras).replace(/\n{3,}/g, "\n\n");
}

import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import type { RemoteStep } from "../remote/step.js";
import type * as command from "@pulumi/command";
import type { Gateway } from "../gateway/gateway.js";
import { createComponentSteps, stepTarget } from "../remote/remote-step.js";
import { hostAddress } from "../validate/rules.js";
import { ArgValidator } from "../validate/validator.js";
import type { Rule } from "../validate/rules.js";
import { DEFAULT_CLAUDE_CODE_VERSION } from "../versions.js";
import { renderSandboxDockerfile, type SandboxConfigSettings } from "./sandbox-config.js";
import { renderSandboxSteps, type SandboxSettings, type SandboxSteps } from "./steps.js";

/** Defaults of the sandbox every session runs in. */
export const SANDBOX_DEFAULTS = {
  mode: "all",
  workspaceAccess: "rw",
  network: "bridge",
  image: "openclaw-sandbox-custom:latest",
  claudeCodeVersion: DEFAULT_CLAUDE_CODE_VERSION,
} as const;

/** The `sandbox` block of `OpenClawDeploymentArgs` (everything optional). */
export interface SandboxOptions {
  /**
   * Run sessions in Docker. `false` installs no Docker and leaves OpenClaw's sandbox off.
   * @default true
   */
  enabled?: boolean;
  /**
   * `agents.defaults.sandbox.mode`: `all` sandboxes every session, `non-main` all but the main one, `off` none.
   * @default "all"
   */
  mode?: pulumi.Input<"off" | "non-main" | "all">;
  /**
   * Docker network of sandbox containers (`bridge` gives outbound internet; `none` gives none).
   * @default "bridge"
   */
  network?: pulumi.Input<string>;
  /**
   * How sessions see the workspace: `rw`, `ro` or `none`.
   * @default "rw"
   */
  workspaceAccess?: pulumi.Input<"none" | "ro" | "rw">;
  /**
   * Tag of the custom image sessions run in.
   * @default "openclaw-sandbox-custom:latest"
   */
  image?: pulumi.Input<string>;
  /**
   * Extra Dockerfile lines added to the shipped custom Dockerfile, run as
   * root before the final `USER 1000:1000` (e.g. `RUN apt-get update && apt-get install -y ffmpeg`).
   * @default []
   */
  dockerfileExtras?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Path (on the machine running `pulumi up`) of your own Dockerfile for the
   * custom image, replacing the shipped one. It is built `FROM` the
   * `BASE_IMAGE` build arg (OpenClaw's base image), with the host's Node
   * runtime as `node/` in the context; it must end as a non-root user.
   * @default the shipped Dockerfile
   */
  dockerfile?: string;
  /**
   * `@anthropic-ai/claude-code` version baked into the image.
   * @default "2.1.331"
   */
  claudeCodeVersion?: pulumi.Input<string>;
}

export interface SandboxArgs extends Omit<SandboxOptions, "enabled"> {
  /**
   * Overrides the address this component's steps connect to.
   * @default the gateway's connection host
   */
  connectionHost?: pulumi.Input<string>;
  /**
   * Resources this component's first step waits for, e.g. another component's
   * last step so that restarts of the gateway never overlap.
   * @default the gateway's last step
   */
  runAfter?: pulumi.Resource[];
  /** The gateway whose sessions run in the sandbox (its host, connection and OpenClaw version). */
  gateway: Gateway;
}

const oneOf =
  <T extends string>(values: readonly T[], what: string): Rule<string> =>
  (v) =>
    (values as readonly string[]).includes(v) ? undefined : { problem: `is not ${what}`, expected: `one of ${values.join(", ")}` };

const dockerNetwork: Rule<string> = (v) =>
  /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) && v !== "host"
    ? undefined
    : { problem: v === "host" ? "would give sandboxes the host's network" : "is not a Docker network name", expected: '"bridge", "none" or a user-defined network name' };

const imageTag: Rule<string> = (v) =>
  /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?$/.test(v)
    ? undefined
    : { problem: "is not a Docker image reference", expected: 'a lowercase name with an optional tag, e.g. "openclaw-sandbox-custom:latest"' };

const dockerfileLines: Rule<string[]> = (v) =>
  v.every((l) => typeof l === "string" && !l.includes("\n") && !/^\s*USER\s/i.test(l))
    ? undefined
    : { problem: "has a line with a newline or a USER instruction", expected: "one Dockerfile instruction per entry, none switching USER (the image must end as UID 1000)" };

const npmVersion: Rule<string> = (v) =>
  /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v) ? undefined : { problem: "is not an exact version", expected: 'a version such as "2.1.331"' };

/**
 * Checks sandbox arguments into `v` (paths under `prefix`) and fills in
 * defaults. Reads `dockerfile` from disk, so a missing file fails here.
 */
export function validateSandboxArgs(args: Omit<SandboxOptions, "enabled">, v: ArgValidator, prefix = "") {
  let dockerfile: string | undefined;
  if (args.dockerfile !== undefined) {
    try {
      dockerfile = readFileSync(args.dockerfile, "utf8");
    } catch (e) {
      v.add({ path: `${prefix}dockerfile`, problem: `${JSON.stringify(args.dockerfile)} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`, expected: "the path of a readable Dockerfile, relative to the Pulumi project directory" });
    }
  }
  return {
    mode: v.check(`${prefix}mode`, args.mode ?? SANDBOX_DEFAULTS.mode, oneOf(["off", "non-main", "all"], "a sandbox mode")) as pulumi.Input<SandboxConfigSettings["mode"]>,
    workspaceAccess: v.check(`${prefix}workspaceAccess`, args.workspaceAccess ?? SANDBOX_DEFAULTS.workspaceAccess, oneOf(["none", "ro", "rw"], "a workspace access mode")) as pulumi.Input<SandboxConfigSettings["workspaceAccess"]>,
    network: v.check(`${prefix}network`, args.network ?? SANDBOX_DEFAULTS.network, dockerNetwork),
    image: v.check(`${prefix}image`, args.image ?? SANDBOX_DEFAULTS.image, imageTag),
    dockerfileExtras: v.check(`${prefix}dockerfileExtras`, (args.dockerfileExtras ?? []) as pulumi.Input<string[]>, dockerfileLines),
    dockerfile,
    claudeCodeVersion: v.check(`${prefix}claudeCodeVersion`, args.claudeCodeVersion ?? SANDBOX_DEFAULTS.claudeCodeVersion, npmVersion),
  };
}

/**
 * Every session in a Docker sandbox: Docker on the host (containers cannot
 * reach the metadata service), OpenClaw's base image and a custom image with
 * Claude Code running as UID 1000, and the gateway config that uses it. The
 * image is rebuilt only when its Dockerfiles or versions change.
 */
export class Sandbox extends pulumi.ComponentResource {
  /** The image sessions run in. */
  readonly image: pulumi.Output<string>;
  /** The rendered Dockerfile of the custom image. */
  readonly dockerfile: pulumi.Output<string>;
  /** The rendered steps in order, with secrets as placeholders (what the plan and verify read). */
  readonly renderedSteps: pulumi.Output<RemoteStep[]>;
  readonly steps: Readonly<Record<keyof SandboxSteps, command.remote.Command>>;
  /** The last step: the gateway runs with the sandbox configured once it is done. */
  readonly ready: command.remote.Command;

  constructor(name: string, args: SandboxArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const v = new ArgValidator(`Sandbox "${name}"`);
    const c = validateSandboxArgs(args, v);
    const connectionHost = args.connectionHost !== undefined ? v.check("connectionHost", args.connectionHost, hostAddress) : undefined;
    v.throwIfInvalid();
    super("openclaw:index:Sandbox", name, {}, opts);

    const gateway = args.gateway;
    this.image = pulumi.output(c.image);
    this.dockerfile = pulumi
      .output(c.dockerfileExtras)
      .apply((extraLines) => renderSandboxDockerfile({ extraLines, ...(c.dockerfile !== undefined ? { dockerfile: c.dockerfile } : {}) }));
    const settings: pulumi.Output<SandboxSettings> = pulumi
      .all([pulumi.all([c.mode, c.workspaceAccess, c.network, c.image, this.dockerfile, gateway.openclawVersion, c.claudeCodeVersion, gateway.port]), gateway.nodeRuntime])
      .apply(([[mode, workspaceAccess, network, image, dockerfile, openclawVersion, claudeCodeVersion, port], nodeRuntime]) => ({
        mode, workspaceAccess, network, image, dockerfile, openclawVersion, claudeCodeVersion, port, nodeVersion: nodeRuntime.version,
      }));
    ({ steps: this.steps, rendered: this.renderedSteps } = createComponentSteps({
      component: name,
      parent: this,
      target: stepTarget(gateway, connectionHost),
      settings,
      render: (s: SandboxSettings) => renderSandboxSteps(s),
      placeholders: {},
      order: ["installDocker", "buildSandboxImage", "configureSandbox"],
      after: args.runAfter ?? [gateway.ready],
    }));
    this.ready = this.steps.configureSandbox;
    this.registerOutputs({ image: this.image });
  }
}


import { readFileSync } from "node:fs";
import type * as pulumi from "@pulumi/pulumi";
import type { Gateway } from "../gateway/gateway.js";
import type { GatewayFacts } from "../gateway/args.js";
import type { Rule } from "../validate/rules.js";
import type { Unwrap } from "@pulumi/pulumi";
import { carryProblem, MAX_ARG_TEXT_BYTES, textProblem } from "../validate/text.js";
import type { ArgValidator } from "../validate/validator.js";
import { DEFAULT_CLAUDE_CODE_VERSION } from "../versions.js";
import { renderSandboxDockerfile, type SandboxConfigSettings } from "./sandbox-config.js";
import type { SandboxSettings } from "./steps.js";

/** Defaults of the sandbox every session runs in. */
export const SANDBOX_DEFAULTS = {
  mode: "all",
  workspaceAccess: "rw",
  network: "bridge",
  image: "openclaw-sandbox-custom:latest",
  claudeCodeVersion: DEFAULT_CLAUDE_CODE_VERSION,
} as const;

/** Which sessions run in the sandbox (`agents.defaults.sandbox.mode`). */
export const SandboxMode = {
  /** No session. */
  Off: "off",
  /** Every session but the main one. */
  NonMain: "non-main",
  /** Every session. */
  All: "all",
} as const;
// An `as const` object and a type of the same name, not a TypeScript enum:
// plain strings ("all") keep type-checking, and Pulumi's component analyzer
// reads it as a string enum (it refuses an inline union of literals).
export type SandboxMode = (typeof SandboxMode)[keyof typeof SandboxMode];

/** How sessions see the workspace. */
export const WorkspaceAccess = {
  /** Not mounted. */
  None: "none",
  /** Read-only. */
  ReadOnly: "ro",
  /** Read-write. */
  ReadWrite: "rw",
} as const;
export type WorkspaceAccess = (typeof WorkspaceAccess)[keyof typeof WorkspaceAccess];

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
  mode?: pulumi.Input<SandboxMode>;
  /**
   * Docker network of sandbox containers (`bridge` gives outbound internet; `none` gives none).
   * @default "bridge"
   */
  network?: pulumi.Input<string>;
  /**
   * How sessions see the workspace: `rw`, `ro` or `none`.
   * @default "rw"
   */
  workspaceAccess?: pulumi.Input<WorkspaceAccess>;
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
    (values as readonly string[]).includes(v)
      ? undefined
      : { problem: `is not ${what}`, expected: `one of ${values.join(", ")}` };

const dockerNetwork: Rule<string> = (v) =>
  /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) && v !== "host"
    ? undefined
    : {
        problem: v === "host" ? "would give sandboxes the host's network" : "is not a Docker network name",
        expected: '"bridge", "none" or a user-defined network name',
      };

const imageTag: Rule<string> = (v) =>
  /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?$/.test(v)
    ? undefined
    : {
        problem: "is not a Docker image reference",
        expected: 'a lowercase name with an optional tag, e.g. "openclaw-sandbox-custom:latest"',
      };

function dockerfileLineProblem(l: unknown): string | undefined {
  if (typeof l !== "string") return "is not a string";
  const text = textProblem(l, { oneLine: true });
  if (text) return text;
  if (/^\s*USER\s/i.test(l)) return "switches USER";
  // A continuation would swallow the line after it: the final USER 1000:1000.
  if (/\\\s*$/.test(l)) return "ends in \\, which would continue into the final USER line";
  return undefined;
}

const dockerfileLines: Rule<string[]> = (v) => {
  const bad = v.map((l, i) => [i, dockerfileLineProblem(l)] as const).find(([, p]) => p !== undefined);
  if (bad)
    return {
      problem: `has entry [${bad[0]}] that ${bad[1]!}`,
      expected: "one whole Dockerfile instruction per entry, none switching USER (the image must end as UID 1000)",
    };
  // The lines travel inside the Dockerfile, in one environment string of the build step.
  const bytes = Buffer.byteLength(v.join("\n"));
  return bytes > MAX_ARG_TEXT_BYTES
    ? {
        problem: `are ${bytes} bytes together`,
        expected: `at most ${MAX_ARG_TEXT_BYTES} bytes of extra lines (copy larger content in with a custom dockerfile step)`,
      }
    : undefined;
};

const npmVersion: Rule<string> = (v) =>
  /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v)
    ? undefined
    : { problem: "is not an exact version", expected: 'a version such as "2.1.331"' };

/**
 * Checks sandbox arguments into `v` (paths under `prefix`) and fills in
 * defaults. Reads `dockerfile` from disk, so a missing file fails here.
 */
export function resolveSandboxArgs(args: Omit<SandboxOptions, "enabled">, v: ArgValidator, prefix = "") {
  let dockerfile: string | undefined;
  if (args.dockerfile !== undefined) {
    try {
      dockerfile = readFileSync(args.dockerfile, "utf8");
      const carried = carryProblem(dockerfile);
      if (carried)
        v.add({
          path: `${prefix}dockerfile`,
          problem: `${JSON.stringify(args.dockerfile)} ${carried.problem}`,
          expected: `a Dockerfile of at most ${MAX_ARG_TEXT_BYTES} bytes (it travels in the build step's environment)`,
        });
    } catch (e) {
      v.add({
        path: `${prefix}dockerfile`,
        problem: `${JSON.stringify(args.dockerfile)} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`,
        expected: "the path of a readable Dockerfile, relative to the Pulumi project directory",
      });
    }
  }
  return {
    mode: v.check(
      `${prefix}mode`,
      args.mode ?? SANDBOX_DEFAULTS.mode,
      oneOf(["off", "non-main", "all"], "a sandbox mode"),
    ) as pulumi.Input<SandboxConfigSettings["mode"]>,
    workspaceAccess: v.check(
      `${prefix}workspaceAccess`,
      args.workspaceAccess ?? SANDBOX_DEFAULTS.workspaceAccess,
      oneOf(["none", "ro", "rw"], "a workspace access mode"),
    ) as pulumi.Input<SandboxConfigSettings["workspaceAccess"]>,
    network: v.check(`${prefix}network`, args.network ?? SANDBOX_DEFAULTS.network, dockerNetwork),
    image: v.check(`${prefix}image`, args.image ?? SANDBOX_DEFAULTS.image, imageTag),
    dockerfileExtras: v.check(
      `${prefix}dockerfileExtras`,
      (args.dockerfileExtras ?? []) as pulumi.Input<string[]>,
      dockerfileLines,
    ),
    dockerfile,
    claudeCodeVersion: v.check(
      `${prefix}claudeCodeVersion`,
      args.claudeCodeVersion ?? SANDBOX_DEFAULTS.claudeCodeVersion,
      npmVersion,
    ),
  };
}

/** The sandbox's settings, from its resolved arguments and the gateway it serves. */
export function sandboxSettings(r: Unwrap<ReturnType<typeof resolveSandboxArgs>>, gw: GatewayFacts): SandboxSettings {
  const dockerfile = renderSandboxDockerfile({
    extraLines: r.dockerfileExtras,
    ...(r.dockerfile !== undefined ? { dockerfile: r.dockerfile } : {}),
  });
  return {
    mode: r.mode,
    workspaceAccess: r.workspaceAccess,
    network: r.network,
    image: r.image,
    dockerfile,
    openclawVersion: gw.openclawVersion,
    claudeCodeVersion: r.claudeCodeVersion,
    nodeVersion: gw.nodeVersion,
    port: gw.port,
  };
}

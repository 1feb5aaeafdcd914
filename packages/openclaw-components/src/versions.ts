/**
 * Versions the library pins and validates against. A change here is a library
 * release: the real-program tests run against exactly these.
 */

/** The OpenClaw release installed on the host unless `openclawVersion` says otherwise. */
export const DEFAULT_OPENCLAW_VERSION = "2026.9.6";

/**
 * The Node.js runtime installed on the host. OpenClaw 2026.9.x needs
 * Node `>=24.16 <25 || >=26.1`. Checksums are the SHA-256 of the official
 * `node-v<version>-linux-<arch>.tar.gz` release archives.
 */
export const DEFAULT_NODE_RUNTIME = {
  version: "24.21.0",
  distBaseUrl: "https://nodejs.org/dist",
  sha256: {
    x64: "6e1db87ef58b8819e5d5402eff1536491b18edd8eb7bee5ef7897876e88dc5ff",
    arm64: "724282c3b43aec998aa9527380465b45d229e021b58035f5f4f63095eabfe5d5",
  },
} as const;

/** Claude Code (npm `@anthropic-ai/claude-code`) baked into the sandbox image. */
export const DEFAULT_CLAUDE_CODE_VERSION = "2.1.331";

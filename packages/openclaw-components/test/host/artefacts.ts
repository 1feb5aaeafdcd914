/**
 * Host tier: Cached artefacts under <repo>/.cache/host/: the root filesystem
 * and the Node archive.
 */
import { join } from "node:path";
import { CACHE, NODE_PACKAGE, lastLine, script } from "./run.js";

export function buildRootfs(): string {
  const r = script("build-rootfs.sh", [CACHE], { timeoutMs: 15 * 60_000 });
  return lastLine(r.stdout);
}

export function buildNodeDist(version: string, npmVersion: string): { distDir: string; sha256: string } {
  const distDir = join(CACHE, "node-dist");
  const r = script("make-node-dist.sh", [NODE_PACKAGE, version, npmVersion, distDir], { timeoutMs: 5 * 60_000 });
  return { distDir, sha256: lastLine(r.stdout) };
}

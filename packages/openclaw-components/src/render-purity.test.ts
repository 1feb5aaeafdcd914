import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = dirname(fileURLToPath(import.meta.url));
const PROVIDER_SDK = /^@pulumi\/(?!pulumi$)/;

/** Every module `file` loads at run time, transitively (type-only imports load nothing). */
function runtimeImports(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?\sfrom\s+"([^"]+)";/gms)].map((m) => m[1]!);
  seen.set(file, specs);
  for (const spec of specs) {
    if (!spec.startsWith(".") || !spec.endsWith(".js")) continue; // packages, and the .sh/.service assets
    runtimeImports(resolve(dirname(file), spec.replace(/\.js$/, ".ts")), seen);
  }
  return seen;
}

describe("the rendering core", () => {
  it.each(["render.ts", "parts.ts", "deployment-args.ts"])("%s reaches no provider SDK at run time", (entry) => {
    const reached: string[] = [];
    for (const [file, specs] of runtimeImports(resolve(SRC, entry))) {
      for (const spec of specs) if (PROVIDER_SDK.test(spec)) reached.push(`${file.slice(SRC.length + 1)} → ${spec}`);
    }
    expect(reached).toEqual([]);
  });

  it("the check can fail: the deployment component does reach the provider SDKs", () => {
    const specs = [...runtimeImports(resolve(SRC, "deployment.ts")).values()].flat();
    expect(specs.filter((s) => PROVIDER_SDK.test(s)).sort()).toEqual(
      expect.arrayContaining(["@pulumi/command", "@pulumi/hcloud", "@pulumi/random", "@pulumi/tls"]),
    );
  });
});

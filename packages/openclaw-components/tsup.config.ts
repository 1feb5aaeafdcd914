import { cpSync, mkdirSync } from "node:fs";
import { defineConfig } from "tsup";

// Shell scripts, systemd units and the Dockerfile are real files next to the
// component that uses them. They are bundled as text (so rendering needs no file
// lookups at run time, in ESM and CJS alike) and also copied verbatim into
// dist/assets so a user can read or run exactly what lands on their host.
const textLoaders = {
  ".sh": "text",
  ".service": "text",
  ".timer": "text",
  ".Dockerfile": "text",
  ".gitignore": "text",
} as const;

export default defineConfig({
  entry: {
    index: "src/index.ts",
    testing: "src/testing/index.ts",
    cli: "src/cli/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node22",
  platform: "node",
  splitting: false,
  external: [/^@pulumi\//],
  loader: textLoaders,
  onSuccess: async () => {
    mkdirSync("dist/assets", { recursive: true });
    cpSync("src", "dist/assets", {
      recursive: true,
      filter: (src) => !/\.ts$/.test(src),
    });
  },
});

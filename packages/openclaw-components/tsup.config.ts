import { cpSync, mkdirSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

// Shell scripts, systemd units and the Dockerfiles are real files next to the
// component that uses them. They are bundled as text (so rendering needs no
// file lookups at run time, in ESM and CJS alike) and also copied verbatim
// into dist/assets so a user can read or run exactly what lands on a host.
const shared: Options = {
  target: "node22",
  platform: "node",
  splitting: false,
  sourcemap: false,
  external: [/^@pulumi\//],
  loader: {
    ".sh": "text",
    ".service": "text",
    ".timer": "text",
    ".Dockerfile": "text",
    ".gitignore": "text",
  },
};

export default defineConfig([
  // One build per entry, so that each declaration file stands alone: built
  // together, types both entries use (the deployment's Args) went into a
  // hashed shared chunk.
  { ...shared, entry: { testing: "src/testing/index.ts" }, format: ["esm", "cjs"], dts: true, clean: false },
  {
    ...shared,
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: false,
    onSuccess: async () => {
      mkdirSync("dist/assets", { recursive: true });
      cpSync("src", "dist/assets", {
        recursive: true,
        filter: (src) => !/\.ts$/.test(src) && !/\/(cli|validate|testing|network)$/.test(src),
      });
    },
  },
  // The `openclaw-infra` bin: ESM only, no types. Split, so that what only its
  // internal `record` command loads (the Pulumi SDK, jiti) is a chunk of its
  // own that `plan` never imports.
  { ...shared, entry: { cli: "src/cli/index.ts" }, format: ["esm"], dts: false, clean: false, splitting: true },
]);

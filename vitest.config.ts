import { defineConfig, type Plugin } from "vitest/config";

// The package imports its shell scripts, units and Dockerfile as text (tsup's
// "text" loader); this plugin gives vitest the same behaviour so tests exercise
// the same renderings the built package ships.
function textAssets(): Plugin {
  return {
    name: "openclaw-text-assets",
    enforce: "pre",
    transform(code, id) {
      if (/\.(sh|service|timer|Dockerfile|gitignore)$/.test(id)) {
        return { code: `export default ${JSON.stringify(code)};`, map: null };
      }
      return undefined;
    },
  };
}

export default defineConfig({
  plugins: [textAssets()],
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
  },
});

import { availableParallelism } from "node:os";
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
    pool: "forks",
    testTimeout: 30_000,
    projects: [
      {
        // Pure code and the Pulumi mocks: no daemon, no shared machine state,
        // so every core is used (vitest's own default leaves one idle, which
        // on a 2-core machine means one file at a time).
        //
        // Not isolated: each worker runs file after file in one process. A
        // process per file loaded @pulumi/pulumi (with TypeScript and its
        // automation API) again each time, about 1.5 s of CPU a file and most
        // of the project's run. The setup file gives each file a fresh copy of
        // the library and its own unhandledRejection listeners; vitest
        // restores spies between files.
        extends: true,
        test: {
          name: "mocks",
          include: ["packages/*/src/**/*.test.ts"],
          isolate: false,
          setupFiles: ["packages/openclaw-components/test/setup/shared-worker.ts"],
          maxWorkers: availableParallelism(),
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The real-program tiers start daemons, a systemd host, Docker and
        // OpenClaw gateways, and wait on them with bounds measured on an idle
        // 2-core machine: one file at a time, after the mocks, on any machine.
        // They are also safe to overlap (each keeps to its own namespace and
        // state; this machine's forwarding is shared through
        // test/lib/forwarding.sh): OPENCLAW_TEST_OVERLAP=1 runs two at a time
        // to prove it.
        extends: true,
        test: {
          name: "machine",
          include: ["packages/*/test/**/*.test.ts"],
          maxWorkers: process.env.OPENCLAW_TEST_OVERLAP === "1" ? 2 : 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

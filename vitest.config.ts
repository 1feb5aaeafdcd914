import { availableParallelism } from "node:os";
import { BaseSequencer, type TestSpecification } from "vitest/node";
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

/**
 * Vitest's order (slowest first by the last run's durations, else largest
 * file first), except that the real-host tier starts first: it is one file of
 * about 16 minutes on its own, so started first it runs beside every other
 * machine tier instead of after them. A fresh clone has no durations, and its
 * small file would otherwise come last.
 */
class HostTierFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const host = (f: TestSpecification) => /[\\/]test[\\/]host[\\/]/.test(f.moduleId);
    return [...sorted.filter(host), ...sorted.filter((f) => !host(f))];
  }
}

export default defineConfig({
  plugins: [textAssets()],
  test: {
    pool: "forks",
    sequence: { sequencer: HostTierFirst },
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
        // OpenClaw gateways. They run after the mocks, two files at a time:
        // each keeps to its own namespace, state and daemon, this machine's
        // forwarding is shared through test/lib/forwarding.sh, and their
        // bounds hold with two side by side on 2 cores (the host tier beside
        // the others is how CI runs). The host tier starts first (see
        // HostTierFirst). OPENCLAW_TEST_OVERLAP=0 runs one at a time.
        extends: true,
        test: {
          name: "machine",
          include: ["packages/*/test/**/*.test.ts"],
          // Does nothing unless scripts/cpu-by-test-file.sh asks for it.
          setupFiles: ["packages/openclaw-components/test/setup/cpu-by-file.ts"],
          maxWorkers: process.env.OPENCLAW_TEST_OVERLAP === "0" ? 1 : 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

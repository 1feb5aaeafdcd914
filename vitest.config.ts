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
 * file first), except that the slow tiers go first, in this order: the
 * real-host tier, one file of about twenty minutes, so that it runs beside
 * every other machine tier instead of after them; then the real-OpenClaw tier
 * and the Docker tier, whose files take one to four minutes each. A fresh
 * clone has no durations: by size alone, a small but slow OpenClaw file came
 * last, and one core idled for about a minute at the end of CI.
 */
const SLOW_TIERS = ["host", "openclaw", "docker"];
class SlowTiersFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const tier = (f: TestSpecification) => {
      const i = SLOW_TIERS.findIndex((t) => new RegExp(`[\\\\/]test[\\\\/]${t}[\\\\/]`).test(f.moduleId));
      return i < 0 ? SLOW_TIERS.length : i;
    };
    // Array.prototype.sort is stable: within a tier, vitest's order stays.
    return sorted.sort((a, b) => tier(a) - tier(b));
  }
}

export default defineConfig({
  plugins: [textAssets()],
  test: {
    pool: "forks",
    sequence: { sequencer: SlowTiersFirst },
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
        // SlowTiersFirst). OPENCLAW_TEST_OVERLAP=0 runs one at a time.
        extends: true,
        test: {
          name: "machine",
          include: ["packages/*/test/**/*.test.ts"],
          maxWorkers: process.env.OPENCLAW_TEST_OVERLAP === "0" ? 1 : 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

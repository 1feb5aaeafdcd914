/**
 * Host tier: The test network: netns-up.sh / netns-down.sh with ranges picked
 * at run time, and a TCP probe.
 */
import { connect } from "node:net";
import { log, run, script, type RunResult } from "./run.js";
import { onCleanup } from "./cleanup.js";
import type { NetworkFacts } from "./addresses.js";

export class TestNetwork {
  readonly tag: string;
  readonly ns: string;
  readonly tsIf: string;
  readonly pubIf: string;
  /** The host's tailnet address (tailscale0). */
  readonly tsAddr: string;
  /** This machine's end on the tailnet side. */
  readonly tsGateway: string;
  /** The host's public address (eth0). */
  readonly pubAddr: string;
  /** This machine's end on the public side (where the fake services listen). */
  readonly pubGateway: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(facts: NetworkFacts, tsNet: string, pubNet: string, stateDir: string) {
    this.tag = String(process.pid);
    this.ns = `och-${this.tag}`;
    this.tsIf = `ochT${this.tag}`.slice(0, 15);
    this.pubIf = `ochP${this.tag}`.slice(0, 15);
    this.tsAddr = `${tsNet}.2`;
    this.tsGateway = `${tsNet}.1`;
    this.pubAddr = `${pubNet}.2`;
    this.pubGateway = `${pubNet}.1`;
    this.env = {
      ...process.env,
      TAG: this.tag,
      NS: this.ns,
      TS_IF: this.tsIf,
      PUB_IF: this.pubIf,
      TS_NET: tsNet,
      PUB_NET: pubNet,
      UPLINK: facts.uplink,
      ALLOW_DNS: facts.resolvers.join(" "),
      ALLOW_WEB: facts.registryAddresses.join(" "),
      STATE_DIR: stateDir,
      // The forwarding hold's owner: a hold outliving this process is dropped (test/lib/forwarding.sh).
      OPENCLAW_TEST_OWNER_PID: String(process.pid),
    };
  }

  up(): void {
    onCleanup(`network ${this.ns}`, () => this.down());
    log(script("netns-up.sh", [], { env: this.env }).stdout.trim());
  }

  down(): void {
    script("netns-down.sh", [], { env: this.env });
  }

  /** Runs a command in the host's network namespace (from this machine's side of it). */
  inNetns(args: string[]): RunResult {
    return run("ip", ["netns", "exec", this.ns, ...args]);
  }
}

/** Whether a TCP connect from this machine succeeds, is refused, or times out. */
export function tcpProbe(
  host: string,
  port: number,
  timeoutMs = 4000,
): Promise<"open" | "refused" | "timeout" | string> {
  return new Promise((done) => {
    const s = connect({ host, port });
    const t = setTimeout(() => {
      s.destroy();
      done("timeout");
    }, timeoutMs);
    s.once("connect", () => {
      clearTimeout(t);
      s.destroy();
      done("open");
    });
    s.once("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      done(e.code === "ECONNREFUSED" ? "refused" : (e.code ?? e.message));
    });
  });
}

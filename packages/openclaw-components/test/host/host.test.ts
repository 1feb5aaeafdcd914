/**
 * Host tier: a real systemd host on this machine, provisioned the way a
 * user's server is, and checked the way the user's server would be checked.
 *
 * What is real: systemd as PID 1 (systemd-nspawn) on a Debian bookworm root
 * filesystem standing in for Hetzner's Ubuntu 24.04 image; the library's
 * rendered user-data, run by the real cloud-init from a NoCloud seed; every
 * remote step from `renderDeployment`, in order, with the command text,
 * environment and stdin its `remote.Command` gets, over real SSH as `ubuntu`
 * with a real ED25519 key to the host's tailnet address; UFW, sshd, logind,
 * linger and the user manager; apt (Debian's mirror) and npm (the registry)
 * through a NAT like Docker's; the pinned OpenClaw gateway; git over SSH.
 *
 * What stands in: Tailscale (a fake `tailscale`/`tailscaled`: tailscale0 is a
 * veth with a 100.64.x.y address made before boot; the bootstrap installs it
 * as it installs the real one, from Tailscale's signed apt repository, which
 * the test serves as https://pkgs.tailscale.com with its own CA), nodejs.org (the Node
 * archive built from the repo's own Node, served by the test; passed as
 * `nodeRuntime`), Telegram's Bot API (a fake, passed as `telegram.apiRoot`)
 * and the workspace's git host (a bare repository behind a second sshd on the
 * host's loopback, passed as `workspaceSync.repoUrl`). The sandbox is on, as
 * by default: the host installs Debian's docker.io and builds the sandbox
 * images in its own Docker engine; only Docker Hub's debian:bookworm-slim is
 * a stand-in (the Docker tier's debootstrap, loaded once Docker is installed).
 * To let Docker run containers inside systemd-nspawn, the host gets the
 * keyring system calls and writable cgroup controllers a VM has
 * (boot-host.sh, writable-cgroups.sh), and a bridge range this machine does
 * not route (prepare-host.sh).
 *
 * Needs root, Linux, systemd-nspawn (systemd-container), debootstrap,
 * iproute2, iptables, OpenSSH's client, nsenter and the npm registry. Missing
 * ones skip the tier locally with the reason and fail it under CI=true.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { changes } from "./changes.scenario.js";
import { backupsAndRefusals, upgrades } from "./day-two.scenario.js";
import { bootHost, finishHost, pre } from "./fixture.js";
import { provisionedServices, provisioning } from "./provisioning.scenario.js";
import { offServerBackups, replacementFromOffServer } from "./off-server.scenario.js";
import { noSecretLeftAfterChanges, security } from "./security.scenario.js";
import { switchingOff } from "./switch-off.scenario.js";

if (pre.reasons.length > 0) {
  if (process.env.CI) {
    describe("host tier prerequisites", () => {
      it("are installed (CI must install them, see .ci/run)", () => {
        throw new Error(`host tier cannot run: ${pre.reasons.join("; ")}`);
      });
    });
  } else {
    console.warn(`skipping the host tier: ${pre.reasons.join("; ")}`);
  }
}

// One booted host for every scenario, in this order: each scenario builds on
// the state the one before left (the upgrade before the checks that expect
// the pinned release, the sweep for secrets after the changes, the
// replacement, which halts this host for a new one, last). The scenarios are modules
// called here, not test files, so their order never depends on how vitest
// schedules files.
describe.skipIf(pre.reasons.length > 0)(
  "host tier: a real host provisioned by the library's user-data and remote steps",
  () => {
    beforeAll(bootHost, 25 * 60_000);
    afterAll(finishHost, 5 * 60_000);
    provisioning();
    upgrades();
    provisionedServices();
    security();
    changes();
    backupsAndRefusals();
    switchingOff();
    offServerBackups();
    noSecretLeftAfterChanges();
    replacementFromOffServer();
  },
);

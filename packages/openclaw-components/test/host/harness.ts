/**
 * Host tier: the machinery around the test host, one module per concern. Every process, namespace,
 * address and packet-filter rule it starts or adds is remembered and removed
 * by PID or name in `cleanup()` (also from a process "exit" hook), never by a
 * broad pattern.
 *
 *  - `prerequisites()` says why the tier cannot run here (not root, tools
 *    missing, no usable network facts);
 *  - `buildRootfs()` / `buildNodeDist()`: cached artefacts under
 *    <repo>/.cache/host/ (build-rootfs.sh, make-node-dist.sh);
 *  - `TestNetwork`: netns-up.sh / netns-down.sh with address ranges this
 *    machine does not route, picked at run time;
 *  - `FakeServices`: fake-services.mjs as a child process on the public side;
 *  - `TestHost`: prepare-host.sh, boot-host.sh (systemd-nspawn), stop-host.sh,
 *    root commands inside through nsenter, an argv recorder (`ps` in a loop
 *    inside the host);
 *  - `ssh()` / `runStep()`: OpenSSH as the remote.Command provider does it:
 *    the command text as the exec request, the environment as SSH "env"
 *    requests (SendEnv, accepted by the host's AcceptEnv OPENCLAW_*), secrets
 *    on stdin only, no terminal.
 */
export * from "./run.js";
export * from "./cleanup.js";
export * from "./addresses.js";
export * from "./artefacts.js";
export * from "./test-network.js";
export * from "./services.js";
export * from "./test-host.js";
export * from "./ssh.js";
export * from "./sftp-target.js";

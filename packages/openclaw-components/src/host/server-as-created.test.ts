import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { fullArgs, SENTINELS } from "../../test/fixtures.js";
import { changeImpact, compareRecordings, recordRun } from "../testing/index.js";
import { installMocks, settle, valueOf, type RecordedResource } from "../testing/mocks.js";
import { OpenClawArgsError } from "../validate/errors.js";
import { Host, OpenClawDeployment, type OpenClawDeploymentArgs } from "../index.js";

const program = (args: OpenClawDeploymentArgs) => new OpenClawDeployment("oc", args);
/**
 * The first `pulumi up` of a server named first-vps: the mocks derive ids and
 * keys from names, so every run of it records the same, and the tests share one.
 */
let firstVps: Promise<RecordedResource[]> | undefined;
const firstRun = () => (firstVps ??= recordRun(program, fullArgs({ serverName: "first-vps" })));

describe("serverName is fixed once the server exists (its tailnet node keeps its first name)", () => {
  it("a second `pulumi up` with another serverName fails, naming the argument and both names", async () => {
    const refused = changeImpact(
      program,
      fullArgs({ serverName: "first-vps" }),
      fullArgs({ serverName: "second-vps" }),
    );
    await expect(refused).rejects.toThrow(OpenClawArgsError);
    await expect(refused).rejects.toThrow(
      /serverName: "second-vps" would rename the server "first-vps", whose tailnet node keeps the name it took at first boot[\s\S]*expected "first-vps" while this server exists; to give it a new name, rebuild it[\s\S]*operations\.md#rebuilding-the-server/,
    );
  });

  it("before any step: nothing that dials the node is registered in the refused run", async () => {
    const first = await firstRun();
    const mocks = await installMocks({ priorState: first });
    program(fullArgs({ serverName: "second-vps" }));
    await expect(settle()).rejects.toThrow(/serverName: "second-vps" would rename/);
    expect(mocks.steps()).toEqual([]);
    // The server and its key keep their names: the engine substitutes the stored value of an ignored input.
    expect(mocks.byType("Server").map((s) => s.ignoreChanges)).toEqual([["userData", "name", "location", "image"]]);
    expect(mocks.byType("SshKey").map((s) => s.ignoreChanges)).toEqual([["name"]]);
  });

  it("the same serverName against the first run's state: nothing changes, every step dials it", async () => {
    const first = await firstRun();
    const second = await recordRun(program, fullArgs({ serverName: "first-vps" }), { priorState: first });
    expect(compareRecordings(first, second).changes).toEqual([]);
    const steps = second.filter((r) => r.type === "command:remote:Command");
    expect(steps.length).toBeGreaterThan(10);
    const hosts = steps.map((r) => (r.inputs.connection as { host?: unknown } | undefined)?.host);
    expect(new Set(hosts)).toEqual(new Set(["first-vps.tail1234.ts.net"]));
  });

  it("a new stack takes any valid name", async () => {
    const mocks = await installMocks();
    const host = new Host("solo", {
      tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey),
      firewallIds: [1],
      serverName: "brand-new",
    });
    expect(await valueOf(host.tailscaleHostname)).toBe("brand-new");
    await settle();
    expect(mocks.byType("Server").map((s) => s.inputs.name)).toEqual(["brand-new"]);
  });

  it("a change of location and image with the rename: one refusal names all three, before any step", async () => {
    const first = await firstRun();
    const mocks = await installMocks({ priorState: first });
    const d = program(fullArgs({ serverName: "second-vps", location: "hel1", image: "debian-13" }));
    const refused = settle();
    await expect(refused).rejects.toThrow(/- serverName: "second-vps" would rename/);
    await expect(refused).rejects.toThrow(
      /- location: "hel1" would replace the server "first-vps" \(location "fsn1"\)/,
    );
    await expect(refused).rejects.toThrow(
      /- image: "debian-13" would replace the server "first-vps" \(image "ubuntu-24.04"\)/,
    );
    expect(mocks.steps()).toEqual([]);
    // The server keeps what it was created with: the engine substitutes the stored value of an ignored input.
    expect(await valueOf(d.host.server.location)).toBe("fsn1");
    expect(await valueOf(d.host.server.image)).toBe("ubuntu-24.04");
  });

  it("a location or image left unset follows the server as created: a release's new default refuses nothing", async () => {
    // Created with an image the user chose, then the argument removed: as if the default had moved on.
    const impact = await changeImpact(program, fullArgs({ image: "debian-12", location: "hel1" }), fullArgs({}));
    expect(impact.serverReplaced).toBe(false);
    expect(impact.changes).toEqual([]);
  });

  it("a Host on its own refuses the rename too", async () => {
    const make = (serverName: string) =>
      new Host("solo", { tailscaleAuthKey: pulumi.secret(SENTINELS.tailscaleAuthKey), firewallIds: [1], serverName });
    const first = await recordRun(make, "first-vps");
    await installMocks({ priorState: first });
    make("second-vps");
    await expect(settle()).rejects.toThrow(
      /Host "solo": invalid argument:\n {2}- serverName: "second-vps" would rename/,
    );
  });
});

const FIRST_KEY = SENTINELS.tailscaleAuthKey;
const SECOND_KEY = SENTINELS.tailscaleAuthKey.replace(/.$/, (c) => (c === "a" ? "b" : "a"));

describe("the mocks' prior state follows the engine's ignoreChanges", () => {
  it("an ignored secret input keeps its stored value and stays secret; other inputs take the new one", async () => {
    const make = ({ key, serverType }: { key: string; serverType: string }) =>
      new Host("kept", { tailscaleAuthKey: pulumi.secret(key), firewallIds: [1], serverName: "kept", serverType });
    const first = await recordRun(make, { key: FIRST_KEY, serverType: "cx23" });
    const mocks = await installMocks({ priorState: first });
    const host = make({ key: SECOND_KEY, serverType: "cx33" });
    const userData = await valueOf(host.server.userData);
    expect(userData).toContain(FIRST_KEY);
    expect(userData).not.toContain(SECOND_KEY);
    expect(await pulumi.isSecret(host.server.userData)).toBe(true);
    expect(await valueOf(host.server.serverType)).toBe("cx33");
    await settle();
    // What the program sent is recorded as sent.
    expect(String(mocks.byName("kept-server").inputs.userData)).toContain(SECOND_KEY);
  });
});

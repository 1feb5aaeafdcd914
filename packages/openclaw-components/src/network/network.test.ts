import { describe, expect, it } from "vitest";
import { ArgValidator } from "../validate/validator.js";
import { DEFAULT_LABELS, resolveNetworkArgs } from "./args.js";
import { OUTBOUND_RULES } from "./network.js";

describe("the firewall", () => {
  it("has outbound rules only, for TCP, UDP and ICMP to anywhere", () => {
    expect(OUTBOUND_RULES.every((r) => r.direction === "out")).toBe(true);
    expect(OUTBOUND_RULES.map((r) => r.protocol)).toEqual(["tcp", "udp", "icmp"]);
    for (const r of OUTBOUND_RULES) expect(r.destinationIps).toEqual(["0.0.0.0/0", "::/0"]);
  });

  it("is labelled as managed by default, and refuses labels Hetzner would refuse", () => {
    expect(resolveNetworkArgs({}, new ArgValidator("t")).labels).toBe(DEFAULT_LABELS);
    const v = new ArgValidator("Network");
    resolveNetworkArgs({ labels: { "bad key!": "x" } }, v);
    expect(() => v.throwIfInvalid()).toThrow(/labels/);
  });
});

/** The plan's pure helpers; the built bin itself is tested in test/cli. */
import { describe, expect, it } from "vitest";
import { compareRecordings } from "../testing/change-impact.js";
import { redact, redactUserData } from "./plan.js";
import { HETZNER_SERVER_TYPES } from "../validate/rules.js";
import { estimateCost, PRICES } from "./prices.js";

describe("plan helpers", () => {
  it("redacts secret-looking keys and a plain auth key in user-data", () => {
    expect(redact({ a: { token: "x", botToken: "y", keep: "z" }, list: [{ password: "p" }] })).toEqual({
      a: { token: "<redacted>", botToken: "<redacted>", keep: "z" },
      list: [{ password: "<redacted>" }],
    });
    const ud =
      'write_files:\n  - path: /run/openclaw-bootstrap/tailscale-authkey\n    permissions: "0600"\n    owner: root:root\n    content: tskey-auth-REAL\n';
    expect(redactUserData(ud)).toContain("content: <redacted>");
    expect(redactUserData(ud)).not.toContain("tskey-auth-REAL");
  });

  it("prices every type the validation accepts, or says plainly that it does not", () => {
    for (const type of Object.keys(HETZNER_SERVER_TYPES)) {
      const e = estimateCost(type, true);
      if (type in PRICES.serverTypes) expect(e.total, type).toBeGreaterThan(0);
      else expect(e.note, type).toContain(`not priced: ${type}`);
    }
  });

  it("says when the price table has no price", () => {
    expect(estimateCost("ccx63", true).note).toMatch(
      /^not priced: ccx63 is a valid type, but the price table dated \d{4}-\d{2}-\d{2} has list prices for cx23 and cx33 only; see https:\/\/www\.hetzner\.com\/cloud for ccx63$/,
    );
    expect(compareRecordings([], []).changes).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { BOOT_DIAL_ERROR_LIMIT, BOOT_DIAL_MINUTES } from "../gateway/gateway.js";
import { dialLimitFor, dialWaitMs } from "./dial-budget.js";

describe("the first step's dial budget, in the provider's arithmetic", () => {
  it("waits 0.1 s growing 1.5 times up to 5 s: the old 120 attempts were 9.4 minutes, not 30", () => {
    expect(dialWaitMs(1)).toBe(100);
    expect(dialWaitMs(2)).toBeCloseTo(250, 6);
    expect(dialWaitMs(10)).toBeCloseTo(11_333.0078125, 3); // the last uncapped wait
    expect(dialWaitMs(11)).toBeCloseTo(16_333.0078125, 3);
    expect(dialWaitMs(120) / 60_000).toBeCloseTo(9.36, 2);
  });

  it("gives the first step at least BOOT_DIAL_MINUTES of dialling, and no more than one wait beyond", () => {
    expect(BOOT_DIAL_MINUTES).toBe(30);
    expect(BOOT_DIAL_ERROR_LIMIT).toBe(dialLimitFor(30 * 60_000));
    expect(dialWaitMs(BOOT_DIAL_ERROR_LIMIT)).toBeGreaterThanOrEqual(30 * 60_000);
    expect(dialWaitMs(BOOT_DIAL_ERROR_LIMIT - 1)).toBeLessThan(30 * 60_000);
    expect(BOOT_DIAL_ERROR_LIMIT).toBe(368);
  });
});

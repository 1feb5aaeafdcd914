import { describe, expect, it, vi } from "vitest";
import { resolveArgs, withResolved } from "./resolve-once.js";

describe("resolveArgs", () => {
  it("checks a component's own arguments, and throws every problem naming the resource", () => {
    const resolve = vi.fn((a: { port: number }, v) => {
      v.add({ path: "port", problem: `${a.port} is not a port`, expected: "1-65535" });
      return a;
    });
    expect(() => resolveArgs('Gateway "g"', { port: 0 }, resolve)).toThrow(/Gateway "g"[\s\S]*port: 0 is not a port/);
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it("uses what a parent resolved, without checking again", () => {
    const resolve = vi.fn(() => ({ port: 1 }));
    const args = withResolved({ port: 0 }, { port: 18789 });
    expect(resolveArgs('Gateway "g"', args, resolve)).toEqual({ port: 18789 });
    expect(resolve).not.toHaveBeenCalled();
    // Only that object: an equal one is checked.
    expect(resolveArgs('Gateway "g"', { port: 0 }, resolve)).toEqual({ port: 1 });
  });
});

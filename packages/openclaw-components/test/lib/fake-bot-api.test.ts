/**
 * The stand-in for Telegram's Bot API holds getUpdates as Telegram does: for
 * the long poll's `timeout` seconds when it has nothing to deliver (0, or no
 * timeout: at once); every other method answers at once.
 */
import { describe, expect, it } from "vitest";
import { startFakeBotApi } from "../openclaw/fake-bot-api.js";
import { longPollSeconds } from "./fake-bot-api.mjs";

async function timed(url: string, init: RequestInit): Promise<{ ms: number; json: unknown }> {
  const started = Date.now();
  const res = await fetch(url, init);
  const json: unknown = await res.json();
  return { ms: Date.now() - started, json };
}

describe("the Bot API stand-in", () => {
  it("reads the long poll's timeout from a JSON body, a form body or the query, as seconds within 0 to 60", () => {
    expect(longPollSeconds('{"timeout":30,"limit":100}')).toBe(30);
    expect(longPollSeconds("timeout=5&limit=100")).toBe(5);
    expect(longPollSeconds("", "offset=3&timeout=7")).toBe(7);
    expect(longPollSeconds("")).toBe(0);
    expect(longPollSeconds('{"limit":100}')).toBe(0);
    expect(longPollSeconds('{"timeout":3600}')).toBe(60);
    expect(longPollSeconds('{"timeout":-1}')).toBe(0);
    expect(longPollSeconds('{"timeout":"soon"}')).toBe(0);
  });

  it("answers getUpdates with timeout 0 at once and holds one with a timeout for that long", async () => {
    const bot = await startFakeBotApi();
    try {
      const post = (body: string) =>
        timed(`${bot.url}/bot123:abc/getUpdates`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
      const short = await post('{"timeout":0}');
      const long = await post('{"timeout":2}');
      const me = await timed(`${bot.url}/bot123:abc/getMe`, { method: "POST" });
      expect(short.json).toEqual({ ok: true, result: [] });
      expect(long.json).toEqual({ ok: true, result: [] });
      expect(long.ms).toBeGreaterThanOrEqual(1950);
      // Relative, not absolute: a loaded machine slows every answer alike.
      expect(short.ms).toBeLessThan(long.ms - 1000);
      expect(me.ms).toBeLessThan(long.ms - 1000);
      expect(bot.calls.get("getUpdates")).toBe(2);
    } finally {
      await bot.close();
    }
  });
});

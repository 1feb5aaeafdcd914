import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentSocketProblem } from "./agent-socket.js";

const dir = mkdtempSync(join(tmpdir(), "agent-socket-"));
let server: Server | undefined;
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("agentSocketProblem", () => {
  it("is silent without SSH_AUTH_SOCK, and with a live socket", async () => {
    expect(agentSocketProblem({})).toBeUndefined();
    const path = join(dir, "agent.sock");
    server = createServer();
    await new Promise<void>((ok) => server!.listen(path, ok));
    expect(agentSocketProblem({ SSH_AUTH_SOCK: path })).toBeUndefined();
  });

  it("names a stale socket path and the remedy", () => {
    const path = join(dir, "gone.sock");
    expect(agentSocketProblem({ SSH_AUTH_SOCK: path })).toMatch(
      /^SSH_AUTH_SOCK is set to ".*gone\.sock", which does not exist: .*Run `unset SSH_AUTH_SOCK`/,
    );
    writeFileSync(join(dir, "file"), "");
    expect(agentSocketProblem({ SSH_AUTH_SOCK: join(dir, "file") })).toMatch(/which is not a socket/);
  });
});

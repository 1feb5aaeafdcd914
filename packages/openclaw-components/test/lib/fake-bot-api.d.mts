import type { ServerResponse } from "node:http";

export declare const FAKE_BOT: Readonly<{ id: number; is_bot: true; first_name: string; username: string }>;
export declare function botApiMethod(path: string): string | undefined;
export declare function botApiResult(method: string, body: string): unknown;
export declare function longPollSeconds(body: string, query?: string): number;
export declare function answerBotApi(
  res: ServerResponse,
  method: string,
  body: string,
  query?: string,
): NodeJS.Timeout | undefined;

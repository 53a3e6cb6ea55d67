import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createWebhookServer, type WebhookServer } from "../src/bot/webhook-server.js";
import { silentLogger } from "../src/logger.js";
import { createRecordingBot } from "./helpers/recording-bot.js";

const SECRET = "test-secret-0123456789";
let webhook: WebhookServer | undefined;

afterEach(async () => {
  await webhook?.close();
  webhook = undefined;
});

async function start(): Promise<number> {
  const { bot } = await createRecordingBot();
  webhook = createWebhookServer(bot, { path: "/hook", secret: SECRET, logger: silentLogger });
  await new Promise<void>((resolve) => webhook!.server.listen(0, "127.0.0.1", resolve));
  return (webhook.server.address() as AddressInfo).port;
}

/** Sends raw bytes and resolves with whatever the server answered before it closed the connection. */
function rawRequest(port: number, head: string, body = ""): { answer: Promise<string>; socket: ReturnType<typeof connect> } {
  const socket = connect(port, "127.0.0.1");
  const answer = new Promise<string>((resolve) => {
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString()));
    socket.on("close", () => resolve(text));
    socket.on("error", () => resolve(text));
  });
  socket.write(head + body);
  return { answer, socket };
}

describe("the webhook server", () => {
  it("answers 401 from the headers alone, before reading a byte of a huge body", async () => {
    const port = await start();
    const { answer, socket } = rawRequest(port, `POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n`, "{");
    expect(await answer).toMatch(/^HTTP\/1\.1 401/);
    socket.destroy();
  });

  it("answers 401 to a wrong secret, compared in constant time", async () => {
    const port = await start();
    const body = JSON.stringify({ update_id: 1 });
    const { answer } = rawRequest(
      port,
      `POST /hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: wrong\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      body,
    );
    expect(await answer).toMatch(/^HTTP\/1\.1 401/);
  });

  it("stops at once while a client holds a half-sent body, dropping that request", async () => {
    const port = await start();
    const { answer } = rawRequest(
      port,
      `POST /hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
      '{"update_id": 1, "message": ',
    );
    // Let the server start reading the body, then stop it: close() must not wait for the rest.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await webhook!.close();
    webhook = undefined;
    expect(await answer).not.toMatch(/^HTTP\/1\.1 200/);
  });
});

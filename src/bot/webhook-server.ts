import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { webhookCallback, type Bot } from "grammy";
import type { Logger } from "../logger.js";
import type { PrometheusMetrics } from "../metrics/metrics.js";
import { metricsRoute } from "../metrics/server.js";
import type { BotContext } from "./create-bot.js";

/** Telegram's updates are small; anything this large is not from Telegram. */
export const MAX_BODY_BYTES = 1_000_000;
/** A request's headers, and then its whole body, must arrive within this time. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Connections open at once; more wait in the kernel's queue. */
const MAX_CONNECTIONS = 256;

/** Constant-time comparison of the secret header (hashes first, so lengths leak nothing either). */
function secretMatches(header: string | string[] | undefined, secret: string): boolean {
  const given = Array.isArray(header) ? header[0] : header;
  if (given === undefined) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

export interface WebhookServer {
  readonly server: Server;
  /** Stops taking requests and resolves once every request in flight has been answered. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => {
      request.removeAllListeners("data");
      // Let the client finish sending so it can read the 413; give up on absurd sizes.
      let drained = 0;
      request.on("data", (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > 10 * MAX_BODY_BYTES) request.destroy();
      });
      reject(new BodyTooLarge());
    };
    if (declared > MAX_BODY_BYTES) return tooLarge();
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return tooLarge();
      chunks.push(chunk);
    });
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
    // A connection closed before the end of the body (a shutdown drops it) ends the wait too.
    request.once("close", () => reject(new Error("connection closed before the end of the body")));
  });
}

function respond(response: ServerResponse, status: number, body: string): void {
  if (response.headersSent) return;
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(body);
}

/**
 * A node:http server for webhook mode: POST at the webhook URL's path goes to grammY's
 * webhookCallback, GET /healthz answers 200, GET /metrics gives the metrics (when given),
 * everything else 404. The secret header is checked before a byte of the body is read: a
 * request without it gets 401 and its connection closes.
 */
export function createWebhookServer(
  bot: Bot<BotContext>,
  options: { path: string; secret: string; logger: Logger; metrics?: Pick<PrometheusMetrics, "render" | "contentType"> },
): WebhookServer {
  const { logger } = options;
  const metrics = options.metrics ? metricsRoute(options.metrics) : undefined;
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;
  // Authenticated requests whose body is still arriving: a shutdown drops them (Telegram retries).
  const reading = new Set<IncomingMessage>();

  // Our own adapter: the body is read (with a size limit) and parsed before grammY sees it.
  const handleUpdate = webhookCallback(
    bot,
    (update: unknown, secretHeader: string | undefined, response: ServerResponse) => ({
      update: Promise.resolve(update as never),
      header: secretHeader,
      end: () => respond(response, 200, ""),
      respond: (json: string) => {
        if (!response.headersSent) response.writeHead(200, { "Content-Type": "application/json" }).end(json);
      },
      unauthorized: () => respond(response, 401, "unauthorized"),
    }),
    { secretToken: options.secret, onTimeout: "return", timeoutMilliseconds: 55_000 },
  );

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method === "GET" && path === "/healthz") return respond(response, 200, "ok");
    const answer = path !== options.path ? await metrics?.(request.method, path) : undefined;
    if (answer) {
      response.writeHead(answer.status, { "Content-Type": answer.type }).end(answer.body);
      return;
    }
    if (path !== options.path) return respond(response, 404, "not found");
    if (request.method !== "POST") return respond(response, 405, "method not allowed");
    if (closing) return respond(response, 503, "shutting down");
    const header = request.headers["x-telegram-bot-api-secret-token"];
    if (!secretMatches(header, options.secret)) {
      // Nothing of the body is read: answer, then close the connection.
      response.writeHead(401, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" }).end("unauthorized");
      response.once("finish", () => request.socket.destroy());
      return;
    }

    let update: unknown;
    reading.add(request);
    try {
      update = JSON.parse(await readBody(request));
    } catch (error) {
      return respond(response, error instanceof BodyTooLarge ? 413 : 400, error instanceof BodyTooLarge ? "body too large" : "bad request");
    } finally {
      reading.delete(request);
    }
    if (typeof update !== "object" || update === null || typeof (update as { update_id?: unknown }).update_id !== "number") {
      return respond(response, 400, "bad request");
    }
    await handleUpdate(update, Array.isArray(header) ? header[0] : header, response);
    respond(response, 200, "");
  }

  const server = createServer((request, response) => {
    inFlight++;
    route(request, response)
      .catch((error: unknown) => {
        // bot.catch handles errors of middleware; this is only for failures around it.
        logger.error("webhook request failed", { error: error instanceof Error ? error.message : String(error) });
        respond(response, 500, "internal error");
      })
      .finally(() => {
        inFlight--;
        if (closing && inFlight === 0) drained?.();
      });
  });
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.maxConnections = MAX_CONNECTIONS;

  return {
    server,
    close() {
      closing = true;
      // Bodies still arriving were not taken yet: drop them now rather than wait for them.
      for (const request of reading) request.socket.destroy();
      const idle = new Promise<void>((resolve) => {
        if (inFlight - reading.size <= 0) resolve();
        else drained = resolve;
      });
      server.close();
      server.closeIdleConnections();
      // Once the updates being handled are answered, nothing else is worth waiting for.
      return idle.then(() => server.closeAllConnections());
    },
  };
}

import { createServer, type Server } from "node:http";
import type { PrometheusMetrics } from "./metrics.js";

/** Answers GET /metrics (Prometheus) and GET /healthz; everything else 404. */
export function metricsRoute(metrics: Pick<PrometheusMetrics, "render" | "contentType">) {
  return async (method: string | undefined, path: string): Promise<{ status: number; type: string; body: string } | undefined> => {
    if (method !== "GET") return undefined;
    if (path === "/metrics") return { status: 200, type: metrics.contentType, body: await metrics.render() };
    if (path === "/healthz") return { status: 200, type: "text/plain; charset=utf-8", body: "ok" };
    return undefined;
  };
}

/** Polling mode's small server for METRICS_PORT: /metrics and /healthz only. */
export function createMetricsServer(metrics: Pick<PrometheusMetrics, "render" | "contentType">): Server {
  const route = metricsRoute(metrics);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    route(request.method, path).then(
      (answer) => {
        const { status, type, body } = answer ?? { status: 404, type: "text/plain; charset=utf-8", body: "not found" };
        response.writeHead(status, { "Content-Type": type }).end(body);
      },
      () => response.writeHead(500).end(),
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  return server;
}

// The station's own `/metrics` listener (METRICS_PORT, METRICS_HOST): plain HTTP, nothing else
// served. It binds 127.0.0.1 unless told otherwise: a jig PC's metrics are for its Prometheus.
// With METRICS_TOKEN (required off loopback) it answers only `Authorization: Bearer <token>`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@station/logger';
import { StartupError } from '@station/runtime';
import type { Registry } from 'prom-client';
import { carriesBearerToken } from '@station/trust';

export interface MetricsListener {
  /** Where it listens (the port the OS picked when asked for 0). */
  address: AddressInfo;
  close(): Promise<void>;
}

export async function startMetricsListener(options: {
  registry: Registry;
  host: string;
  port: number;
  /** METRICS_TOKEN: when set, a scrape without exactly this bearer token gets 401. */
  token?: string;
  logger: Logger;
}): Promise<MetricsListener> {
  const { registry, logger, token } = options;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics here.\n');
      return;
    }
    if (token !== undefined && !carriesBearerToken(request.headers.authorization, token)) {
      response
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
        .end('Send Authorization: Bearer <METRICS_TOKEN>.\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => {
        logger.error({ err }, 'metrics could not be collected');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n');
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new StartupError(
      `Port ${options.port} on ${options.host} is already in use: stop the other process or set METRICS_PORT.`,
      { cause: error },
    );
  }
  const address = server.address() as AddressInfo;
  logger.info(
    { host: address.address, port: address.port, bearerRequired: token !== undefined },
    'metrics listening',
  );
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

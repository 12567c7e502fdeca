import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of one emulator that notes when each marker
 * (e.g. "qqc12qq" in a userName) first reached the target in a successful
 * write (POST/PUT/PATCH answered 2xx, inner calls of a batch included): the
 * moment the remote write is acknowledged. Response bodies have the
 * emulator's origin rewritten to the proxy's, so URLs the target hands out
 * (Salesforce's instance_url) keep going through the proxy.
 */
export interface RecordingProxy {
  url: string;
  /** marker → performance.now() of the first acknowledged write carrying it. */
  readonly firstSeen: Map<string, number>;
  /** Successful write requests (a batch counts as one). */
  writes(): number;
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export async function startRecordingProxy(upstream: string, marker: RegExp): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const firstSeen = new Map<string, number>();
  let writes = 0;
  let origin = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: target.host };
      const upstreamReq = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
        (upstreamRes: IncomingMessage) => {
          const parts: Buffer[] = [];
          upstreamRes.on('data', (chunk: Buffer) => parts.push(chunk));
          upstreamRes.on('end', () => {
            const at = performance.now();
            const status = upstreamRes.statusCode ?? 502;
            if (WRITE_METHODS.has(req.method ?? '') && status < 300) {
              writes += 1;
              for (const match of body.toString('utf8').matchAll(marker)) if (!firstSeen.has(match[0])) firstSeen.set(match[0], at);
            }
            const text = Buffer.concat(parts).toString('utf8').replaceAll(target.origin, origin);
            const out = Buffer.from(text, 'utf8');
            const responseHeaders = { ...upstreamRes.headers, 'content-length': String(out.length) };
            delete responseHeaders['transfer-encoding'];
            if (typeof responseHeaders.location === 'string')
              responseHeaders.location = responseHeaders.location.replace(target.origin, origin);
            res.writeHead(status, responseHeaders).end(out);
          });
          upstreamRes.on('error', () => res.destroy());
        },
      );
      upstreamReq.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${error.message}`);
        else res.destroy();
      });
      upstreamReq.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    firstSeen,
    writes: () => writes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

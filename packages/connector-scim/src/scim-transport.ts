import { request as httpRequest, type Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ConnectorContext } from '@provisio/core';
import type { ScimConfig } from './scim-config.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** The connection itself failed: refused, reset, timed out, TLS rejected. */
export class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure';
}

const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * One HTTP exchange over node:http(s), so a custom CA can be trusted through an
 * https.Agent (fetch would need undici's dispatcher, which is not a dependency).
 */
export class HttpTransport {
  private readonly httpsAgent: HttpsAgent;
  private readonly ownsAgent: boolean;

  constructor(
    private readonly ctx: ConnectorContext,
    private readonly config: Pick<ScimConfig, 'tls' | 'timeoutMs'>,
  ) {
    const { caPem, rejectUnauthorized } = config.tls;
    this.ownsAgent = caPem !== undefined || !rejectUnauthorized;
    this.httpsAgent = this.ownsAgent ? new HttpsAgent({ keepAlive: true, ca: caPem, rejectUnauthorized }) : ctx.http.httpsAgent;
  }

  send(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const secure = url.protocol === 'https:';
    const agent: HttpAgent = secure ? this.httpsAgent : this.ctx.http.httpAgent;
    const send = secure ? httpsRequest : httpRequest;
    const headers = { ...req.headers, ...(req.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(req.body)) }) };
    return new Promise<HttpResponse>((resolve, reject) => {
      const outgoing = send(url, { method: req.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) outgoing.destroy(new NetworkFailure(`response larger than ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (error) => fail(error));
      });
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error instanceof NetworkFailure ? error : new NetworkFailure(describeNetworkError(error), { cause: error }));
      };
      const timer = setTimeout(() => outgoing.destroy(new NetworkFailure(`no complete response within ${this.config.timeoutMs} ms`)), this.config.timeoutMs);
      outgoing.on('error', fail);
      outgoing.end(req.body);
    });
  }

  close(): void {
    if (this.ownsAgent) this.httpsAgent.destroy();
  }
}

function describeNetworkError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${error.message}` : error.message || 'connection failed';
}

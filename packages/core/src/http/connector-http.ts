import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpClient, type HttpAgents, type HttpCall, type HttpClientOptions } from './http-client.js';

/** `ctx.http`: the instance's keep-alive agents, and HTTP clients that share them. */
export interface ConnectorHttp extends HttpAgents {
  /** A client for one target (base URL, credentials, secrets to scrub); close it with the connector. */
  client<TCall extends HttpCall = HttpCall>(options?: HttpClientOptions<TCall>): HttpClient<TCall>;
}

/** A fresh `ctx.http` (one per connector instance; tests make their own). */
export function createConnectorHttp(): ConnectorHttp {
  // keep-alive: a connector reuses its connections instead of a handshake per call.
  const agents = { httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) };
  return { ...agents, client: <TCall extends HttpCall>(options?: HttpClientOptions<TCall>) => new HttpClient<TCall>(agents, options) };
}

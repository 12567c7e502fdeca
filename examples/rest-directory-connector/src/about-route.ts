import type { PluginRoute } from '@provisio/core';

// Node's request and response, as core's HttpHandler names them (this package builds without @types/node).
type Handler = PluginRoute['router'];

/**
 * GET /plugins/<plugin>/about: what this plugin adds to the server. A plain
 * connect-style handler (an express Router would do as well); the server mounts
 * it behind the admin API's credentials.
 */
export function aboutRoute(plugin: string, about: { connectorTypes: string[]; functions: string[] }): PluginRoute {
  return {
    plugin,
    router: (...[req, res, next]: Parameters<Handler>) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/about') return next();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ plugin, ...about }));
    },
  };
}

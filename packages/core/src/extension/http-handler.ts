import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A connect-style request handler: an express Router or app, or a plain function.
 * Declared as a method so an express Router (whose req/res are subtypes) fits.
 */
export type HttpHandler = {
  handle(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
}['handle'];

/** An API the server mounts at `path` (admin, console, SCIM inbound, plugin routes); multi-bound as `TOKENS.HttpMount`. */
export interface HttpMount {
  path: string;
  router: HttpHandler;
  /** false: the router parses bodies itself (SCIM answers parse errors in its own error format). */
  parseJson?: boolean;
}

/**
 * HTTP routes a plugin adds (extension point `TOKENS.PluginRoute`), mounted at
 * `/plugins/<plugin>/`. Behind the admin API's credentials (read-only ones may
 * only GET and HEAD) unless `public` is true; a public route does its own
 * authentication, if any. JSON bodies are parsed as for the admin API.
 */
export interface PluginRoute {
  /** The contributing plugin's name (its `definePlugin` name): it must be loaded, and names the mount path. */
  plugin: string;
  router: HttpHandler;
  public?: boolean;
}

import express from 'express';
import { ContainerModule } from 'inversify';
import { asServiceId, TOKENS, type PluginRoute } from '@provisio/core';
import { fail } from '../admin/http-helpers.js';
import { requireCredentials } from '../auth/require-credentials.js';
import { ADMIN_AUTHENTICATOR } from './generation-module.js';

export const PLUGIN_ROUTES_PATH = '/plugins';

/**
 * /plugins/<plugin>/...: every PluginRoute the loaded plugins bind, each under
 * its plugin's name. Behind the admin credentials (read-only ones may only GET
 * and HEAD) unless the route says it is public. JSON bodies are parsed as for
 * the admin API. A route naming a plugin that is not loaded is refused at start.
 */
export const pluginRoutesModule = new ContainerModule(({ bind }) => {
  bind(asServiceId(TOKENS.HttpMount)).toDynamicValue((context) => {
    const routes = context.getAll(asServiceId(TOKENS.PluginRoute), { optional: true });
    const loaded = new Set(context.getAll(asServiceId(TOKENS.Plugin), { optional: true }).map((plugin) => plugin.name));
    const guard = requireCredentials(context.get(asServiceId(ADMIN_AUTHENTICATOR)), fail);
    const router = express.Router();
    for (const route of routes) {
      checkRoute(route, loaded);
      if (route.public === true) router.use(`/${route.plugin}`, route.router);
      else router.use(`/${route.plugin}`, guard, route.router);
    }
    return { path: PLUGIN_ROUTES_PATH, router };
  });
});

function checkRoute(route: PluginRoute, loaded: ReadonlySet<string>): void {
  if (typeof route?.router !== 'function')
    throw new Error(`a plugin route of "${String(route?.plugin)}" has no router (an express Router or a (req, res, next) function)`);
  if (!loaded.has(route.plugin)) {
    throw new Error(
      `a plugin route names plugin "${String(route.plugin)}", which is not loaded (loaded: ${[...loaded].join(', ') || 'none'}); set PluginRoute.plugin to the definePlugin name`,
    );
  }
}

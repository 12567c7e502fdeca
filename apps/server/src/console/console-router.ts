import { join } from 'node:path';
import express, { type Router } from 'express';
import { consoleAssetsBuilt, consoleAssetsDir } from '@provisio/console';

// The SPA loads only its own bundled files and talks only to this server's admin API.
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * /console: the web console's built assets (@provisio/console). Hashed assets are
 * cached for a long time; every other path answers index.html (the app routes
 * on the client). No credentials here: the app signs in against /admin/v1.
 */
export function consoleRouter(assetsDir: string = consoleAssetsDir()): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  if (!consoleAssetsBuilt(assetsDir)) {
    router.use((_req, res) => {
      res.status(503).type('text/plain').send('The console was not built: run `npx nx run console:build` (or `npm run build`).\n');
    });
    return router;
  }
  router.use('/assets', express.static(join(assetsDir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  // A missing asset is a 404, not the app's index.html (a stale tab after an upgrade must not parse HTML as JS).
  router.use('/assets', (_req, res) => {
    res.status(404).type('text/plain').send('no such console asset\n');
  });
  router.use(express.static(assetsDir, { index: false, maxAge: 0 }));
  router.get('*', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(assetsDir, 'index.html'));
  });
  return router;
}

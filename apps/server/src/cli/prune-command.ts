import { Container } from 'inversify';
import { asServiceId, silentLogger, systemClock, TOKENS } from '@provisio/core';
import { RetentionPruner, type RetentionReport } from '@provisio/core/engine';
import { loadConfiguration } from '../config/load-configuration.js';
import { findManifest } from '../config/manifest-file.js';
import { serverModule, storeModuleFor } from '../modules/index.js';
import { printProblems } from './print-problems.js';
import type { CliIo, CommandOptions } from './commands.js';

export interface PruneOptions extends CommandOptions {
  'dry-run'?: boolean;
}

/**
 * `provisio prune [--dry-run]`: what the manifest's retention removes, now, at once
 * (the worker does the same in the background, a bounded amount every few minutes).
 * Opens the store itself: with SQLite, stop the server first (one process owns the file).
 */
export async function pruneCommand(options: PruneOptions, io: CliIo): Promise<number> {
  const configuration = await loadConfiguration({ manifestPath: findManifest(options.config, io.cwd), cwd: io.cwd, env: io.env });
  const manifest = configuration.manifest;
  if (configuration.problems.length > 0 || !manifest) {
    printProblems(configuration.problems, configuration.manifestPath, io.err);
    return 1;
  }
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(serverModule({ manifest, manifestDir: configuration.baseDir, logger: silentLogger() }), storeModuleFor(manifest));
  const store = await container.getAsync(asServiceId(TOKENS.Store));
  try {
    const pruner = new RetentionPruner({ store, clock: systemClock, logger: silentLogger() }, manifest.retention);
    const preview = await pruner.preview();
    let reports = preview;
    if (!options['dry-run']) {
      // Bounded by what was there when it began: rows that age past the cutoff meanwhile wait for the next run.
      const removed = await pruner.pruneOnce({ maxPerRun: Math.max(0, ...preview.map((r) => r.count)) });
      reports = preview.map((r) => ({ ...r, removed: removed.find((x) => x.kind === r.kind)?.removed ?? 0 }));
    }
    if (options.json)
      io.out(
        JSON.stringify(
          { store: container.get(asServiceId(TOKENS.StoreDescription)).label, dryRun: !!options['dry-run'], kinds: reports },
          null,
          2,
        ),
      );
    else printReports(reports, !!options['dry-run'], container.get(asServiceId(TOKENS.StoreDescription)).label, io);
    return 0;
  } finally {
    await store.close();
  }
}

function printReports(reports: readonly RetentionReport[], dryRun: boolean, store: string, io: CliIo): void {
  io.out(`${dryRun ? 'dry run: would remove' : 'removed'} (store ${store}):`);
  const rows = reports.map((r) => [
    r.kind,
    r.cutoff === undefined ? 'kept for ever' : `older than ${r.cutoff}`,
    String(dryRun ? r.count : (r.removed ?? 0)),
    r.oldest ?? '-',
    r.newest ?? '-',
  ]);
  const header = ['kind', 'cutoff', dryRun ? 'would go' : 'removed', 'oldest', 'newest'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  for (const row of [header, ...rows]) io.out(`  ${row.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`.trimEnd());
  if (dryRun) io.out('nothing was removed (--dry-run)');
}

// The scim scenario's server with its many users, in its own process so its peak RSS is its own and the
// heap is sized as `provisio serve` sizes it: applyHeapPolicy() before anything is stored. It opens the SQLite
// file the parent seeded (as a server restarted over its store does), serves the SCIM stack of scim-server.ts and
// sends {url, groupId} over IPC; on `report` it sends its memory after the load and exits. It exits when the
// parent goes away, and after `lifetimeSeconds` at most.
import { applyHeapPolicy } from '@provisio/core/engine';
import { SqliteStore } from '@provisio/store-sqlite';
import { peakRssMb, rssBreakdownMb } from './measure.ts';
import { serveScim } from './scim-server.ts';

export interface ScimServerChildSpec {
  /** The SQLite file, seeded and closed by the parent. */
  path: string;
  users: number;
  lifetimeSeconds: number;
}

export interface ScimServerReady {
  url: string;
  /** The hot-spot group the member-hot load adds to. */
  groupId: string;
}

/** The server process's memory when the parent asks (after the load), in MB. */
export interface ScimServerReport {
  /** The heap policy applied (PROVISIO_HEAP, `lean` unless set). */
  heap: string;
  peakRssMb: number;
  /** Peak RSS once the store is open and the server listens, before any request. */
  peakRssOpenedMb: number;
  rss?: { anonMb: number; fileMb: number };
  /** process.memoryUsage(): V8's heap (reserved and used), memory V8 knows of outside it (external), of which ArrayBuffers. */
  memory: { heapTotalMb: number; heapUsedMb: number; externalMb: number; arrayBuffersMb: number };
}

const heap = applyHeapPolicy();
process.once('disconnect', () => process.exit(1));
process.once('message', (message) => {
  const spec = message as ScimServerChildSpec;
  setTimeout(() => process.exit(1), spec.lifetimeSeconds * 1000).unref();
  serve(spec).catch((error: unknown) => {
    console.error((error as Error).stack ?? String(error));
    process.exit(1);
  });
});

async function serve(spec: ScimServerChildSpec): Promise<void> {
  const store = SqliteStore.open({ path: spec.path });
  const { url, identities, close } = await serveScim(store);
  const group = await identities.createGroup({ displayName: 'hot-spot' }, { actor: 'bench' });
  const peakRssOpenedMb = peakRssMb();
  process.once('message', () => {
    const report: ScimServerReport = { heap, peakRssMb: peakRssMb(), peakRssOpenedMb, rss: rssBreakdownMb(), memory: memory() };
    process.send?.(report, () => {
      void close()
        .then(() => store.close())
        .finally(() => process.exit(0));
    });
  });
  process.send?.({ url, groupId: String(group.resource.id) } satisfies ScimServerReady);
}

function memory(): ScimServerReport['memory'] {
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;
  return {
    heapTotalMb: mb(usage.heapTotal),
    heapUsedMb: mb(usage.heapUsed),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
  };
}

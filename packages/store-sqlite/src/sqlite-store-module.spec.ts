import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from 'inversify';
import { asServiceId, TOKENS } from '@provisio/core';
import { DEFAULT_TENANT, manifestSchema } from '@provisio/core/engine';
import { contractUser } from '@provisio/core/testing';
import { SqliteStore, sqliteStoreModule, sqliteStoreModuleWith } from './index.js';

function containerFor(store: unknown, manifestDir: string, module = sqliteStoreModule): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifestSchema.parse({ store }));
  container.bind(asServiceId(TOKENS.ManifestDir)).toConstantValue(manifestDir);
  container.load(module);
  return container;
}

describe('sqliteStoreModule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-sqlite-module-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("opens the manifest's SQLite file, a relative path from the manifest's folder", async () => {
    const container = containerFor({ type: 'sqlite', path: 'data/provisio.db' }, dir);
    const store = await container.getAsync(asServiceId(TOKENS.Store));
    try {
      expect(store).toBeInstanceOf(SqliteStore);
      expect(container.get(asServiceId(TOKENS.StoreDescription))).toEqual({
        label: join(dir, 'data', 'provisio.db'),
        file: join(dir, 'data', 'provisio.db'),
      });
      await store.commit({ putUsers: [contractUser('u1', 'ada')] });
      expect(existsSync(join(dir, 'data', 'provisio.db'))).toBe(true);
      expect(await container.getAsync(asServiceId(TOKENS.Store))).toBe(store);
    } finally {
      await store.close();
    }
  });

  it('binds the store to DEFAULT_TENANT, or to the default tenant the module is given', async () => {
    const plain = await containerFor({ type: 'sqlite', path: 'plain.db' }, dir).getAsync(asServiceId(TOKENS.Store));
    const acme = await containerFor(
      { type: 'sqlite', path: 'acme.db' },
      dir,
      sqliteStoreModuleWith({ defaultTenant: 'acme.example.com' }),
    ).getAsync(asServiceId(TOKENS.Store));
    try {
      expect(plain.tenant).toBe(DEFAULT_TENANT);
      expect(acme.tenant).toBe('acme.example.com');
    } finally {
      await plain.close();
      await acme.close();
    }
  });

  it('says so when the manifest names another store', async () => {
    const container = containerFor({ type: 'postgres', url: 'postgres://127.0.0.1/x' }, dir);
    await expect(container.getAsync(asServiceId(TOKENS.Store))).rejects.toThrow('sqliteStoreModule is loaded but store.type is "postgres"');
  });
});

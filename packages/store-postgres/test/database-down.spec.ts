import { createServer, connect, type Server, type Socket } from 'node:net';
import { PostgresStore } from '../src/index.js';
import { freshSchema, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const describeWithPostgres = (await postgresAvailable()) ? describe : describe.skip;

/** A loopback TCP relay to the real PostgreSQL that the test can cut and restore. */
async function relay(port = 0): Promise<{ url: string; port: number; cut(): Promise<void> }> {
  const target = new URL(TEST_DATABASE_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as { port: number }).port;
  const url = new URL(TEST_DATABASE_URL);
  url.port = String(bound);
  return {
    url: url.toString(),
    port: bound,
    cut: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describeWithPostgres('PostgresStore when the database goes away', () => {
  const schema = freshSchema();
  afterAll(() => PostgresStore.dropSchemas(TEST_DATABASE_URL, schema));

  it('reports StoreUnavailableError (callers answer "try again later"), and works again once the database is back', async () => {
    const link = await relay();
    const store = await PostgresStore.open({
      url: link.url,
      schema,
      maintenance: false,
      pool: { connectionTimeoutMs: 2000 },
      onError: () => undefined,
    });
    let back: Awaited<ReturnType<typeof relay>> | undefined;
    try {
      const user = (id: string) => ({
        id,
        userName: id,
        active: true,
        resource: { userName: id },
        version: 1,
        createdAt: '',
        updatedAt: '',
      });
      await store.commit({ putUsers: [user('before')] });
      await link.cut();
      await expect(store.commit({ putUsers: [user('during')] })).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      await expect(store.getUser('before')).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      back = await relay(link.port);
      await store.commit({ putUsers: [user('after')] });
      expect((await store.getUser('before'))?.userName).toBe('before');
      expect(await store.getUser('during')).toBeUndefined();
    } finally {
      await store.close();
      await back?.cut();
    }
  }, 30000);
});

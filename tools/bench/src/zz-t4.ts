import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '@provisio/store-sqlite';
import { seedUsers } from './scim-server.ts';
const at = new Date().toISOString();
const user = (id: string, userName: string) => ({ id, userName, active: true, version: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
  resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, active: true, emails: [{ value: userName, type: 'work', primary: true }] } });
let seq = 0;
async function bench(label: string, views: ReturnType<SqliteStore['forTenant']>[]) {
  const t0 = performance.now(); const end = t0 + 4000; let n = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (performance.now() < end) {
      const v = views[Math.floor(Math.random() * views.length)]; seq++;
      const id = randomBytes(16).toString('hex');
      await v.commit({ putUsers: [user(id, `${randomBytes(6).toString('hex')}-${seq}@example.com`)], expectedUserVersions: { [id]: 0 },
        audit: [{ at, actor: 'scim:hr', action: 'user.create', entityType: 'user', entityId: id }] }); n++;
    }
  }));
  console.log(label, Math.round(n / ((performance.now() - t0) / 1000)), 'commits/s');
}
const drop = process.argv[2]?.split(',') ?? [];
async function open(tenants: number, per: number) {
  const path = join(mkdtempSync(join(tmpdir(), 'tq-')), 'a.db');
  const s = SqliteStore.open({ path });
  const domains = Array.from({ length: tenants }, (_, i) => `tenant-${i}.example.com`);
  for (const [t, d] of domains.entries()) await seedUsers(s.forTenant(d), per, (i) => `seed-${t}-${i}`);
  await s.close();
  const db = new Database(path); for (const i of drop) if (i) db.exec(`DROP INDEX IF EXISTS ${i}`); db.close();
  const s2 = SqliteStore.open({ path });
  return domains.map((d) => s2.forTenant(d));
}
const many = await open(100, 1000); const one = await open(1, 100000);
await bench('many', many); await bench('one', one); await bench('many', many); await bench('one', one);

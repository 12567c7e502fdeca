import { ADMIN_ROUTES, adminOpenApiDocument, type AdminRoute } from './index.js';

const doc = adminOpenApiDocument();
const op = (path: string, method: string) =>
  doc.paths[path][method] as {
    parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
    responses: Record<string, { description?: string; content: Record<string, { schema: { $ref: string } }> }>;
    security?: unknown[];
  };

/** Every $ref in a value, recursively. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref') found.push(String(v));
      else refs(v, found);
    }
  }
  return found;
}

describe('adminOpenApiDocument', () => {
  it('describes every route of the table, once, as OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(operations.sort()).toEqual((Object.values(ADMIN_ROUTES) as AdminRoute[]).map((r) => `${r.method} ${r.path}`).sort());
  });

  it('refers only to component schemas that exist', () => {
    const names = new Set(Object.keys(doc.components.schemas).map((n) => `#/components/schemas/${n}`));
    const dangling = refs(doc).filter((r) => !names.has(r));
    expect(dangling).toEqual([]);
  });

  it('documents the shared errors: 401 behind credentials, 403 of read-only credentials on writes and of JWTs without a scope, 429, 400', () => {
    expect(Object.keys(op('/jobs', 'get').responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
    expect(Object.keys(op('/jobs/{id}/retry', 'post').responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404', '409']));
    expect(Object.keys(op('/connectors/{id}/provision', 'post').responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404']));
    expect(Object.keys(op('/jobs', 'get').responses)).toEqual(expect.arrayContaining(['403', '429']));
    expect((op('/jobs', 'get').responses['403'] as { description?: string }).description).toBe('A JWT without a required scope');
    expect(op('/openapi.json', 'get').security).toEqual([]);
    expect(op('/openapi.json', 'get').responses['401']).toBeUndefined();
  });

  it('lists the query parameters of /jobs, group included, with their types', () => {
    const params = Object.fromEntries((op('/jobs', 'get').parameters ?? []).map((p) => [p.name, p]));
    expect(Object.keys(params).sort()).toEqual(['before', 'connector', 'group', 'limit', 'status', 'user']);
    expect(params.limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    expect(params.status.schema).toMatchObject({ enum: ['pending', 'running', 'succeeded', 'failed', 'superseded', 'held', 'discarded'] });
    expect(op('/connectors/{id}/preview', 'get').parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'user', in: 'query', required: true }),
        expect.objectContaining({ name: 'id', in: 'path', required: true }),
      ]),
    );
  });

  it('shows a job’s dates and lease, and a link’s entity, and forbids undocumented fields', () => {
    const job = doc.components.schemas.Job as { properties: Record<string, unknown>; required: string[]; additionalProperties: unknown };
    expect(job.required).toEqual(expect.arrayContaining(['createdAt', 'updatedAt', 'claimedBy', 'leaseUntil']));
    expect(job.additionalProperties).toBe(false);
    const link = doc.components.schemas.Link as { required: string[] };
    expect(link.required).toEqual(expect.arrayContaining(['entityType', 'localId']));
  });

  it('gives reconcile a JSON answer and an NDJSON stream', () => {
    const content = op('/connectors/{id}/reconcile', 'post').responses['200'].content;
    expect(content['application/json'].schema.$ref).toBe('#/components/schemas/ReconcileResult');
    expect(content['application/x-ndjson'].schema.$ref).toBe('#/components/schemas/ReconcileProgressLine');
  });
});

describe('the request schemas', () => {
  it('coerce query strings and name the failing field', () => {
    expect(ADMIN_ROUTES.listJobs.query.parse({ limit: '20', status: 'failed' })).toEqual({ limit: 20, status: 'failed' });
    const bad = ADMIN_ROUTES.listJobs.query.safeParse({ limit: '5000' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['limit']);
    expect(ADMIN_ROUTES.audit.query.safeParse({ before: 'x' }).error?.issues[0].path).toEqual(['before']);
    expect(ADMIN_ROUTES.provisionUser.body.safeParse({}).error?.issues[0].path).toEqual(['user']);
  });
});

import { adminOpenApiDocument } from '@provisio/admin-contract';
import { documentedJob as job } from './documented-job.js';
import { createOpenApiResponseValidator, type AdminExchange } from './openapi-response-validator.js';

const validate = createOpenApiResponseValidator(adminOpenApiDocument());
const answer = (path: string, status: number, body: unknown, extra: Partial<AdminExchange> = {}): AdminExchange => ({
  method: 'GET',
  path,
  status,
  contentType: 'application/json; charset=utf-8',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  ...extra,
});

describe('the admin response validator (OpenAPI 3.1 document, ajv draft 2020-12)', () => {
  it('accepts answers that match the document', () => {
    expect(validate(answer('/admin/v1/jobs?status=running', 200, { jobs: [job], next: null }))).toEqual([]);
    expect(validate(answer('/admin/v1/jobs/j1', 200, job))).toEqual([]);
    expect(validate(answer('/admin/v1/jobs/j1', 404, { error: { status: 404, message: 'no job j1' } }))).toEqual([]);
    expect(validate(answer('/admin/v1/nope', 404, { error: { status: 404, message: 'no such admin endpoint' } }))).toEqual([]);
  });

  it('rejects a job without createdAt, with an undocumented field, or with a lease that is not a date', () => {
    const { createdAt: _gone, ...withoutCreatedAt } = job;
    expect(validate(answer('/admin/v1/jobs/j1', 200, withoutCreatedAt))).toEqual([
      expect.stringContaining("must have required property 'createdAt'"),
    ]);
    expect(validate(answer('/admin/v1/jobs', 200, { jobs: [{ ...job, owner: 'w1' }], next: null }))).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
    expect(validate(answer('/admin/v1/jobs/j1', 200, { ...job, leaseUntil: 1764669600000 }))).toEqual([
      expect.stringContaining('leaseUntil'),
    ]);
  });

  it('rejects an undocumented status, path, content type or a body that is not JSON', () => {
    // 403 is documented on every authenticated route (read-only credentials, JWTs without a scope): 418 is not.
    expect(validate(answer('/admin/v1/jobs', 418, { error: { status: 418, message: 'a teapot' } }))).toEqual([
      expect.stringContaining('status 418 is not documented'),
    ]);
    expect(validate(answer('/admin/v1/jobs/j1/cancel', 200, {}, { method: 'POST' }))).toEqual([
      expect.stringContaining('is not in the OpenAPI document'),
    ]);
    expect(validate(answer('/admin/v1/session', 200, 'hello', { contentType: 'text/plain' }))).toEqual([
      expect.stringContaining('content type "text/plain" is not documented'),
    ]);
    expect(validate(answer('/admin/v1/session', 200, '{"name":'))).toEqual([expect.stringContaining('not JSON')]);
  });

  it('checks every line of reconcile’s NDJSON stream', () => {
    const ndjson = (lines: unknown[]) =>
      answer('/admin/v1/connectors/c1/reconcile', 200, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`, {
        method: 'POST',
        contentType: 'application/x-ndjson',
      });
    expect(validate(ndjson([{ scanned: 10 }, { done: true, scanned: 12, planned: 3 }]))).toEqual([]);
    expect(validate(ndjson([{ scanned: 10 }, { done: true, scanned: '12' }]))).toEqual([expect.stringContaining('(line 2)')]);
  });
});

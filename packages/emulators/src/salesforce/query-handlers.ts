// /query?q=SOQL, /queryAll?q=SOQL and /query/{locator}.
import { SalesforceRestError, restErrors } from './errors.js';
import { type RestContext, type RestRequest, type RestResponse, ok } from './rest-context.js';
import { runSoql } from './soql-executor.js';

const DEFAULT_BATCH_SIZE = 2000;

/** Sforce-Query-Options: batchSize=N (200..2000), as Salesforce honours it. */
function batchSize(req: RestRequest): number {
  const header = req.headers['sforce-query-options'];
  const match = typeof header === 'string' ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  if (!match) return DEFAULT_BATCH_SIZE;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(200, Number(match[1])));
}

export function handleQuery(ctx: RestContext, req: RestRequest): RestResponse {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw restErrors.methodNotAllowed(req.method, ['GET', 'HEAD']);
  const [, locator, ...rest] = req.segments;
  if (rest.length > 0) throw restErrors.notFound();
  if (locator !== undefined) {
    const page = ctx.cursors.nextPage(locator, batchSize(req), ctx.version);
    if (!page) throw SalesforceRestError.single(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return ok(page);
  }
  const soql = req.query.get('q');
  if (soql === null || soql.trim() === '') throw SalesforceRestError.single(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const result = runSoql(soql, ctx.state, ctx.version);
  if (result.count) return ok({ totalSize: result.totalSize, done: true, records: [] });
  return ok(ctx.cursors.firstPage(result.records, batchSize(req), ctx.version));
}

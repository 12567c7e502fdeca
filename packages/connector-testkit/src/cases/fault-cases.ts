import assert from 'node:assert/strict';
import { classifyError, isConflictError, isPermanentError, isTransientError } from '@provisio/core';
import { describeError, rejectionOf } from '../rejection.js';
import { hook, lookupOf, type ConformanceCase } from './case-context.js';

const needs = (present: unknown, name: string) => (present ? undefined : `no ${name} hook`);

function permanentCase(status: 400 | 403): ConformanceCase {
  return {
    id: status === 400 ? 'permanent-400' : 'permanent-403',
    title: `a ${status} on create is a PermanentError carrying the remote detail, and nothing is created`,
    skipReason: (o) => needs(o.faults?.rejectUser, 'faults.rejectUser'),
    async run({ connector, nextUser, options, fixture }) {
      const payload = nextUser();
      const detail = `conformance refuses ${payload.localId} with ${status}`;
      await hook(options.faults?.rejectUser, 'faults.rejectUser')(fixture, payload, { status, detail });
      const error = await rejectionOf(connector.createUser(payload), `createUser answered ${status}`);
      assert.ok(isPermanentError(error), `expected a PermanentError, got ${describeError(error)}`);
      assert.ok(
        (error as Error).message.includes(detail),
        `the message must carry the remote detail "${detail}", got "${(error as Error).message}"`,
      );
      assert.equal(await connector.findUser(lookupOf(payload)), null, 'a refused create must leave no account');
    },
  };
}

function transientCase(status: 503 | 429, retryAfterSec: number): ConformanceCase {
  return {
    id: status === 503 ? 'transient-503' : 'transient-429',
    title: `a ${status} with Retry-After: ${retryAfterSec} is a TransientError with retryAfterMs ${retryAfterSec * 1000}; the retry succeeds`,
    skipReason: (o) => needs(o.faults?.failNext, 'faults.failNext'),
    async run({ connector, nextUser, options, fixture }) {
      const payload = nextUser();
      await hook(options.faults?.failNext, 'faults.failNext')(fixture, status, { retryAfterSec });
      const error = await rejectionOf(connector.createUser(payload), `createUser answered ${status}`);
      assert.ok(isTransientError(error), `expected a TransientError, got ${describeError(error)}`);
      assert.equal(error.retryAfterMs, retryAfterSec * 1000, 'retryAfterMs must come from Retry-After');
      const ref = await connector.createUser(payload);
      assert.equal((await connector.findUser(lookupOf(payload)))?.remoteId, ref.remoteId);
    },
  };
}

export const faultCases: ConformanceCase[] = [
  {
    id: 'lost-response',
    title: 'a create whose response is lost fails transiently; findUser then finds exactly that account and a retried create conflicts',
    skipReason: (o) => needs(o.faults?.dropNextResponse, 'faults.dropNextResponse'),
    async run({ connector, nextUser, options, fixture }) {
      const payload = nextUser();
      await hook(options.faults?.dropNextResponse, 'faults.dropNextResponse')(fixture);
      const lost = await rejectionOf(connector.createUser(payload), 'createUser whose response was lost');
      assert.equal(classifyError(lost), 'transient', `a lost response must be transient, got ${describeError(lost)}`);
      const found = await connector.findUser(lookupOf(payload));
      assert.ok(found, 'findUser must find the account the lost create made (the pipeline links it instead of creating a twin)');
      const retry = await rejectionOf(connector.createUser(payload), 'a retried createUser of an account that exists');
      assert.ok(isConflictError(retry), `a retried create must be a ConflictError, got ${describeError(retry)}`);
      assert.equal((await connector.findUser(lookupOf(payload)))?.remoteId, found.remoteId, 'still exactly that account');
      if (options.inspect?.user) assert.ok(await options.inspect.user(fixture, found.remoteId), 'inspect.user sees the account');
    },
  },
  transientCase(503, 2),
  transientCase(429, 1),
  permanentCase(400),
  permanentCase(403),
  {
    id: 'network-transient',
    title: 'an unreachable target is a transient failure, never a success',
    skipReason: (o) => needs(o.faults?.makeUnreachable, 'faults.makeUnreachable'),
    async run({ connector, nextUser, options, fixture }) {
      await hook(options.faults?.makeUnreachable, 'faults.makeUnreachable')(fixture);
      const error = await rejectionOf(connector.createUser(nextUser()), 'createUser against an unreachable target');
      assert.equal(classifyError(error), 'transient', `expected a transient failure, got ${describeError(error)}`);
    },
  },
];

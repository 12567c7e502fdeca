import { conformancePlan, runConformanceCase, type ConformanceCaseId } from '../src/index.js';
import {
  AlwaysDeletingConnector,
  BoundaryDroppingConnector,
  GhostReadingConnector,
  OffsetPagingConnector,
  OverlappingPagesConnector,
  DuplicateMemberConnector,
  EverythingTransientConnector,
  LeakyConnector,
  SilentFailureConnector,
  StrictDeleteConnector,
  ThrowingCheckConnector,
  TwinMakingConnector,
  UnclassifiedConnector,
  UpdateDroppingConnector,
} from './broken-connectors.js';
import { TOY_SECRET, toyOptions, type ToyConnectorClass } from './toy-options.js';

const caught: [string, ConformanceCaseId, ToyConnectorClass, 'delete' | 'deactivate', RegExp][] = [
  ['a connector that makes a twin on retry', 'lost-response', TwinMakingConnector, 'delete', /retried createUser .* must fail/],
  [
    'a connector that makes a twin on a duplicate create',
    'duplicate-create-conflict',
    TwinMakingConnector,
    'delete',
    /second createUser .* must fail/,
  ],
  ['a connector that reports success on 403', 'permanent-403', SilentFailureConnector, 'delete', /must fail/],
  ['a connector that reports success on 400', 'permanent-400', SilentFailureConnector, 'delete', /must fail/],
  ['a connector that leaks its API key in errors', 'transient-503', LeakyConnector, 'delete', /secret #0/],
  ['a connector that throws unclassified errors', 'transient-503', UnclassifiedConnector, 'delete', /TransientError/],
  ['a connector that calls a refusal transient', 'permanent-400', EverythingTransientConnector, 'delete', /PermanentError/],
  ['a connector whose check() throws', 'check-unreachable', ThrowingCheckConnector, 'delete', /must never throw/],
  ['a connector whose second delete fails', 'deprovision', StrictDeleteConnector, 'delete', /no such user/],
  ['a connector that deletes in deactivate mode', 'deprovision', AlwaysDeletingConnector, 'deactivate', /inactive remotely/],
  ['a connector that drops updates', 'update', UpdateDroppingConnector, 'delete', /after the update/],
  ['a connector that refuses a duplicate member', 'groups-membership', DuplicateMemberConnector, 'delete', /member already present/],
  [
    'a connector that pages by offset while accounts are deleted',
    'read-deleted-between-pages',
    OffsetPagingConnector,
    'delete',
    /every account the target holds \(1 of/,
  ],
  [
    'a connector that drops the last page on an exact multiple',
    'read-page-boundary',
    BoundaryDroppingConnector,
    'delete',
    /every account the target holds/,
  ],
  ['a connector whose pages overlap', 'read-paging', OverlappingPagesConnector, 'delete', /every account once/],
  ['a connector that reads a gone account as a ghost', 'read-get', GhostReadingConnector, 'delete', /null for an account that is gone/],
];

describe('the conformance kit catches broken connectors', () => {
  it.each(caught)('%s (case %s)', async (_what, caseId, Connector, mode, message) => {
    await expect(runConformanceCase(toyOptions(mode, Connector), caseId)).rejects.toThrow(message);
  });

  it('does not repeat a leaked secret when reporting it', async () => {
    const failure = await runConformanceCase(toyOptions('delete', LeakyConnector), 'transient-503').catch((e: Error) => e);
    expect(failure).toHaveProperty('message', expect.stringContaining('secret #0'));
    expect(String((failure as Error).message)).not.toContain(TOY_SECRET);
  });
});

describe('conformancePlan', () => {
  it('skips, with a reason, every case whose hook or capability is missing', () => {
    const { faults: _faults, inspect: _inspect, ...bare } = toyOptions('delete');
    const plan = conformancePlan({ ...bare, capabilities: { groups: false, deleteMode: 'delete' } });
    const skipped = Object.fromEntries(plan.filter((c) => c.skipReason).map((c) => [c.id, c.skipReason]));
    expect(skipped).toEqual({
      reactivate: 'capabilities.deleteMode is "delete"',
      password: 'capabilities.passwords is not set',
      'groups-lifecycle': 'capabilities.groups is false',
      'groups-membership': 'capabilities.groups is false',
      'lost-response': 'no faults.dropNextResponse hook',
      'transient-503': 'no faults.failNext hook',
      'transient-429': 'no faults.failNext hook',
      'permanent-400': 'no faults.rejectUser hook',
      'permanent-403': 'no faults.rejectUser hook',
      'network-transient': 'no faults.makeUnreachable hook',
      'check-unreachable': 'no faults.makeUnreachable hook',
      'read-groups': 'no group reads (capabilities.groups and read.groups)',
    });
    expect(plan.filter((c) => !c.skipReason).map((c) => c.id)).toEqual([
      'create-find',
      'find-missing',
      'update',
      'duplicate-create-conflict',
      'deprovision',
      'check-ok',
      'read-get',
      'read-paging',
      'read-page-boundary',
      'read-empty',
      'read-deleted-between-pages',
    ]);
  });

  it('skips every read case without read hooks', () => {
    const { read: _read, ...bare } = toyOptions('delete');
    const skipped = conformancePlan(bare).filter((c) => c.id.startsWith('read-'));
    expect(skipped.map((c) => c.skipReason)).toEqual(Array(6).fill('no read hooks'));
  });

  it('refuses to run a case whose hook is missing instead of passing it', async () => {
    const { faults: _faults, ...bare } = toyOptions('delete');
    await expect(runConformanceCase(bare, 'lost-response')).rejects.toThrow('cannot run: no faults.dropNextResponse hook');
  });
});

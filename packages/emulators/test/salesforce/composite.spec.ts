import type jsforce from 'jsforce';
import type { SalesforceEmulator } from '../../src/salesforce/index.js';
import { loggedIn, rejectionOf, startFixture, userPayload } from './emulator-fixture.js';

describe('Salesforce emulator: sObject Collections, groups and permission sets', () => {
  let emulator: SalesforceEmulator;
  let conn: jsforce.Connection;

  beforeAll(async () => {
    emulator = await startFixture({ permissionSets: [{ Name: 'Sales_Ops', Label: 'Sales Ops' }] });
    conn = await loggedIn(emulator);
  });
  afterAll(() => emulator.close());

  it('creates an array of users through /composite/sobjects with per-record results', async () => {
    const callsBefore = emulator.state.apiCallCount();
    const good = userPayload(emulator);
    const bad = userPayload(emulator, { Alias: 'far-too-long' });
    const results = await conn.sobject('User').create([good, bad], { allOrNone: false });
    // One collection call for both records, not one call per record.
    expect(emulator.state.apiCallCount()).toBe(callsBefore + 1);
    expect(results[0]).toEqual({ id: expect.stringMatching(/^005/), success: true, errors: [] });
    expect(results[1]).toEqual({
      success: false,
      errors: [{ statusCode: 'STRING_TOO_LONG', message: 'Alias: data value too large: far-too-long (max length=8)', fields: ['Alias'] }],
    });
    expect(emulator.state.userByUsername(String(good['Username']))).toBeDefined();
  });

  it('rolls everything back with allOrNone', async () => {
    const good = userPayload(emulator);
    const results = await conn.sobject('User').create([good, userPayload(emulator, { Email: 'broken' })], { allOrNone: true });
    expect(results[0]).toEqual({
      success: false,
      errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
    });
    expect(results[1].success).toBe(false);
    expect(emulator.state.userByUsername(String(good['Username']))).toBeUndefined();
  });

  it('rejects more than 200 records in one call', async () => {
    const records = Array.from({ length: 201 }, () => userPayload(emulator));
    const error = await rejectionOf(conn.sobject('User').create(records));
    expect(error.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });

  it('updates an array of users and reports unknown ids per record', async () => {
    const [a, b] = await conn.sobject('User').create([userPayload(emulator), userPayload(emulator)]);
    const results = await conn.sobject('User').update([
      { Id: a.id!, Department: 'Ops' },
      { Id: b.id!, IsActive: false },
      { Id: '005Dn0000000zzz', Department: 'Ops' },
    ]);
    expect(results.slice(0, 2).map((r) => r.success)).toEqual([true, true]);
    expect(results[2]).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY' }] });
    expect(emulator.state.users().find((u) => u['Id'] === b.id)?.['IsActive']).toBe(false);
  });

  it('creates a public group, adds and removes a member', async () => {
    const group = await conn.sobject('Group').create({ Name: 'Sales Team', Type: 'Regular' });
    expect(group.id).toMatch(/^00G/);
    const found = await conn.query<{ DeveloperName: string; Type: string }>(
      `SELECT DeveloperName, Type FROM Group WHERE Id = '${group.id}'`,
    );
    expect(found.records[0]).toMatchObject({ DeveloperName: 'Sales_Team', Type: 'Regular' });

    const user = await conn.sobject('User').create(userPayload(emulator));
    const member = await conn.sobject('GroupMember').create({ GroupId: group.id, UserOrGroupId: user.id });
    expect(member.id).toMatch(/^011/);
    const duplicate = await rejectionOf(conn.sobject('GroupMember').create({ GroupId: group.id, UserOrGroupId: user.id }));
    expect(duplicate.errorCode).toBe('DUPLICATE_VALUE');
    expect(emulator.state.groupMembers()).toEqual([expect.objectContaining({ GroupId: group.id, UserOrGroupId: user.id })]);

    await conn.sobject('GroupMember').destroy(member.id!);
    expect(emulator.state.groupMembers()).toEqual([]);
  });

  it('assigns and unassigns a permission set', async () => {
    const sets = await conn.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Sales_Ops'");
    const user = await conn.sobject('User').create(userPayload(emulator));
    const assignment = await conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: sets.records[0].Id });
    expect(assignment.id).toMatch(/^0Pa/);
    const listed = await conn.query(
      `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${user.id}' AND PermissionSet.IsOwnedByProfile = false`,
    );
    expect(listed.totalSize).toBe(1);

    const profileOwned = await conn.query<{ Id: string }>('SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = true LIMIT 1');
    const refused = await rejectionOf(
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: profileOwned.records[0].Id }),
    );
    expect(refused.errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');

    const removed = await conn.sobject('PermissionSetAssignment').destroy([assignment.id!]);
    expect(removed).toEqual([{ id: assignment.id, success: true, errors: [] }]);
    expect(emulator.state.permissionSetAssignments()).toEqual([]);
  });

  it('rejects a group member pointing at a missing group', async () => {
    const user = await conn.sobject('User').create(userPayload(emulator));
    const error = await rejectionOf(conn.sobject('GroupMember').create({ GroupId: '00GDn0000000zzz', UserOrGroupId: user.id }));
    expect(error.errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
  });
});

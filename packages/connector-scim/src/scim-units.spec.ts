import { classifyError, createConnectorHttp, isConflictError, isTransientError } from '@provisio/core';
import { resolveEndpoints } from './scim-endpoints.js';
import { scimErrorKind, scimFailureDetail, type ScimHttpCall } from './scim-errors.js';
import { withUserStoreDomain } from './scim-user-requests.js';

describe('endpoints', () => {
  it('derive users, groups and root from baseUrl, or from WSO2 user/group endpoints', () => {
    expect(resolveEndpoints({ baseUrl: 'https://idp:9443/scim2/' })).toEqual({
      users: 'https://idp:9443/scim2/Users',
      groups: 'https://idp:9443/scim2/Groups',
      root: 'https://idp:9443/scim2',
      bulkUsersPath: '/Users',
    });
    expect(
      resolveEndpoints({
        userEndpoint: 'https://localhost:9443/wso2/scim/Users',
        groupEndpoint: 'https://localhost:9443/wso2/scim/Groups',
      }),
    ).toMatchObject({
      root: 'https://localhost:9443/wso2/scim',
      groups: 'https://localhost:9443/wso2/scim/Groups',
    });
  });
});

describe('user store domain (WSO2 addDomainToName)', () => {
  it('prefixes DOMAIN/ in upper case, except for PRIMARY or a name that has a domain', () => {
    expect(withUserStoreDomain('ada', 'Domain')).toBe('DOMAIN/ada');
    expect(withUserStoreDomain('ada', 'primary')).toBe('ada');
    expect(withUserStoreDomain('EXT/ada', 'Domain')).toBe('EXT/ada');
    expect(withUserStoreDomain('ada', undefined)).toBe('ada');
  });
});

describe("error classification (core's HTTP client with SCIM's classifier)", () => {
  const http = createConnectorHttp();
  afterAll(() => http.httpAgent.destroy());
  const client = http.client<ScimHttpCall>({
    classify: scimErrorKind,
    describeFailure: scimFailureDetail,
    secrets: ['s3cret'],
    clock: { now: () => 0, sleep: async () => undefined },
  });
  const call = (operation: 'create' | 'update') => ({ method: 'POST', url: 'http://x/Users', operation });
  const response = (status: number, body: unknown, headers = {}) => ({ status, headers, text: JSON.stringify(body), body });
  const errorFor = (status: number, body: unknown, operation: 'create' | 'update', headers = {}) =>
    client.errorFor(call(operation), response(status, body, headers));

  it('5xx, 429 and 408 are transient (with Retry-After), 501 is permanent', () => {
    expect(isTransientError(errorFor(503, {}, 'create', { 'retry-after': '3' }))).toBe(true);
    expect(errorFor(503, {}, 'create', { 'retry-after': '3' })).toHaveProperty('retryAfterMs', 3000);
    expect(classifyError(errorFor(429, {}, 'create'))).toBe('transient');
    expect(classifyError(errorFor(408, {}, 'create'))).toBe('transient');
    expect(classifyError(errorFor(501, {}, 'update'))).toBe('permanent');
  });

  it('409 on create or uniqueness is a conflict; other 409s and 412 are transient', () => {
    expect(isConflictError(errorFor(409, { scimType: 'uniqueness', detail: 'taken' }, 'create'))).toBe(true);
    expect(isConflictError(errorFor(409, { scimType: 'uniqueness' }, 'update'))).toBe(true);
    expect(classifyError(errorFor(409, {}, 'update'))).toBe('transient');
    expect(classifyError(errorFor(412, {}, 'update'))).toBe('transient');
  });

  it('carries the SCIM 2.0 detail and scimType or the SCIM 1.1 description, scrubbed of secrets', () => {
    expect(errorFor(400, { detail: 'bad s3cret' }, 'create').message).toBe('POST http://x/Users answered 400: bad ********');
    expect(errorFor(400, { scimType: 'invalidValue', detail: 'bad name' }, 'create').message).toBe(
      'POST http://x/Users answered 400: (invalidValue) bad name',
    );
    const v1 = errorFor(403, { Errors: [{ description: 'not allowed', code: '403' }] }, 'create');
    expect(classifyError(v1)).toBe('permanent');
    expect(v1.message).toContain('not allowed');
  });
});

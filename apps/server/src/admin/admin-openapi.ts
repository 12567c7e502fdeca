/** OpenAPI 3.1 description of /admin/v1, served at /admin/v1/openapi.json. Keep it in step with admin-router.ts. */
const error = { $ref: '#/components/schemas/Error' };
const idParam = (description: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description });
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const errors = { '401': json(error, 'Missing or invalid credentials'), '404': json(error, 'Not found') };

export const ADMIN_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'Provisio admin API', version: '1', description: 'See and steer outbound provisioning: connector instances, jobs, links, audit.' },
  servers: [{ url: '/admin/v1' }],
  security: [{ bearer: [] }, { basic: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } },
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'object', properties: { status: { type: 'integer' }, message: { type: 'string' } } } } },
      JobCounts: { type: 'object', properties: Object.fromEntries(['pending', 'running', 'succeeded', 'failed', 'superseded'].map((s) => [s, { type: 'integer' }])) },
      Connector: {
        type: 'object',
        properties: { id: { type: 'string' }, type: { type: 'string' }, displayName: { type: 'string' }, mode: { enum: ['async', 'blocking'] }, capabilities: { type: 'object' }, jobs: { $ref: '#/components/schemas/JobCounts' } },
      },
      Job: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          connector: { type: 'string' },
          entityType: { enum: ['user', 'group'] },
          localId: { type: 'string' },
          action: { enum: ['sync', 'delete'] },
          reason: { type: 'string' },
          status: { enum: ['pending', 'running', 'succeeded', 'failed', 'superseded'] },
          attempts: { type: 'integer' },
          maxAttempts: { type: 'integer' },
          runAt: { type: 'string', format: 'date-time' },
          lastError: { type: ['string', 'null'] },
          lastErrorKind: { enum: ['transient', 'permanent', 'conflict', null] },
          history: { type: 'array', items: { type: 'object', properties: { attempt: { type: 'integer' }, startedAt: { type: 'string' }, finishedAt: { type: 'string' }, outcome: { enum: ['succeeded', 'retry', 'failed'] }, error: { type: 'string' } } } },
        },
      },
      Session: { type: 'object', properties: { name: { type: ['string', 'null'] }, readOnly: { type: 'boolean' } } },
      Identity: {
        type: 'object',
        description: 'A user (userName, displayName, email, active) or group (displayName, members) with its links per connector',
        properties: { id: { type: 'string' }, links: { type: 'array', items: { $ref: '#/components/schemas/Link' } } },
      },
      RemoteRequest: { type: 'object', properties: { operation: { type: 'string' }, method: { type: 'string' }, path: { type: 'string' }, body: {} } },
      Preview: {
        type: 'object',
        properties: {
          user: { type: 'object', properties: { id: { type: 'string' }, userName: { type: 'string' } } },
          inScope: { type: 'boolean' },
          attributes: { type: ['object', 'null'], description: 'Remote fields after mapping, defaults and transforms' },
          accountName: { type: ['string', 'null'], description: 'The provisioning pattern applied' },
          link: { oneOf: [{ $ref: '#/components/schemas/Link' }, { type: 'null' }] },
          operation: { enum: ['create', 'update', 'none', 'out of scope'] },
          changed: { type: ['object', 'null'] },
          requests: { type: ['array', 'null'], items: { $ref: '#/components/schemas/RemoteRequest' }, description: 'The requests the connector would send (null: its type offers no preview); secrets masked' },
          createRequests: { type: ['array', 'null'], items: { $ref: '#/components/schemas/RemoteRequest' }, description: 'When the account exists: what creating it would send' },
          error: { type: ['string', 'null'] },
        },
      },
      ProvisionResult: {
        type: 'object',
        properties: {
          connector: { type: 'string' },
          user: { type: 'object' },
          outcome: { enum: ['succeeded', 'failed', 'retrying', 'skipped', 'waiting'] },
          steps: { type: 'array', items: { type: 'object', properties: { step: { type: 'string' }, status: { enum: ['ok', 'failed', 'skipped', 'waiting'] }, detail: { type: 'string' }, data: {} } } },
          job: { oneOf: [{ $ref: '#/components/schemas/Job' }, { type: 'null' }] },
        },
      },
      Link: {
        type: 'object',
        properties: {
          connector: { type: 'string' },
          remoteId: { type: ['string', 'null'] },
          remoteName: { type: ['string', 'null'] },
          status: { enum: ['pending', 'synced', 'failed', 'deprovisioned'] },
          remoteActive: { type: ['boolean', 'null'] },
          lastError: { type: ['string', 'null'] },
          lastSyncedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
  },
  paths: {
    '/connectors': { get: { summary: 'Connector instances with job counts by status', responses: { '200': json({ type: 'object', properties: { connectors: { type: 'array', items: { $ref: '#/components/schemas/Connector' } } } }), ...errors } } },
    '/connectors/{id}': { get: { summary: 'One instance: settings with secrets masked, default and effective mapping, whether it offers a preview', parameters: [idParam('instance id')], responses: { '200': json({ type: 'object' }), ...errors } } },
    '/session': { get: { summary: 'The signed-in principal and whether it is read-only', responses: { '200': json({ $ref: '#/components/schemas/Session' }), ...errors } } },
    '/connectors/{id}/preview': {
      get: {
        summary: 'What a sync of one user would send to this instance now (mapping, defaults, pattern, link), without sending it',
        parameters: [idParam('instance id'), { name: 'user', in: 'query', required: true, schema: { type: 'string' }, description: 'user id or userName' }],
        responses: { '200': json({ $ref: '#/components/schemas/Preview' }), '400': json(error, 'No user given'), ...errors },
      },
    },
    '/connectors/{id}/provision': {
      post: {
        summary: 'Provision one user to this instance now, through the pipeline; reports each step (waits up to 20 s for the attempt)',
        parameters: [idParam('instance id')],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['user'], properties: { user: { type: 'string', description: 'user id or userName' } } } } } },
        responses: { '200': json({ $ref: '#/components/schemas/ProvisionResult' }), '400': json(error, 'No user given'), '403': json(error, 'Read-only credentials'), ...errors },
      },
    },
    '/throughput': {
      get: {
        summary: 'Finished attempts per minute (succeeded, failed, retried), from the jobs’ attempt history',
        parameters: [{ name: 'minutes', in: 'query', schema: { type: 'integer', default: 60, maximum: 1440 } }, { name: 'connector', in: 'query', schema: { type: 'string' } }],
        responses: { '200': json({ type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, buckets: { type: 'array', items: { type: 'object', properties: { minute: { type: 'string' }, succeeded: { type: 'integer' }, failed: { type: 'integer' }, retried: { type: 'integer' } } } }, truncated: { type: 'boolean' } } }), ...errors },
      },
    },
    '/users': {
      get: {
        summary: 'Search users (text in userName, displayName, emails, family name; or an exact id / externalId), each with its links',
        parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', default: 50, maximum: 200 } }],
        responses: { '200': json({ type: 'object', properties: { totalResults: { type: 'integer' }, users: { type: 'array', items: { $ref: '#/components/schemas/Identity' } } } }), ...errors },
      },
    },
    '/users/{id}': { get: { summary: 'One user: SCIM resource, groups, links and latest jobs', parameters: [idParam('local user id')], responses: { '200': json({ $ref: '#/components/schemas/Identity' }), ...errors } } },
    '/groups': {
      get: {
        summary: 'Search groups by displayName (or exact id / externalId), each with its links',
        parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', default: 50, maximum: 200 } }],
        responses: { '200': json({ type: 'object', properties: { totalResults: { type: 'integer' }, groups: { type: 'array', items: { $ref: '#/components/schemas/Identity' } } } }), ...errors },
      },
    },
    '/groups/{id}': { get: { summary: 'One group: members, links and latest jobs', parameters: [idParam('local group id')], responses: { '200': json({ $ref: '#/components/schemas/Identity' }), ...errors } } },
    '/connectors/{id}/check': {
      get: { summary: 'Test connection (authenticate and read something cheap)', parameters: [idParam('instance id')], responses: { '200': json({ type: 'object', properties: { ok: { type: 'boolean' }, message: { type: 'string' }, tookMs: { type: 'integer' } } }), '503': json({ type: 'object' }, 'Check failed'), ...errors } },
    },
    '/connectors/{id}/reconcile': {
      post: {
        summary: 'Re-plan every in-scope identity whose link is missing, failed or stale; deprovision linked ones out of scope',
        description: 'With Accept: application/x-ndjson the progress streams as {"scanned":n} lines, then {"done":true,...}.',
        parameters: [idParam('instance id')],
        responses: { '200': json({ type: 'object', properties: { scanned: { type: 'integer' }, planned: { type: 'integer' } } }), ...errors },
      },
    },
    '/connectors/{id}/retry-failed': { post: { summary: 'Retry every failed job of an instance', parameters: [idParam('instance id')], responses: { '200': json({ type: 'object', properties: { retried: { type: 'integer' } } }), ...errors } } },
    '/jobs': {
      get: {
        summary: 'Jobs, newest first',
        parameters: [
          { name: 'status', in: 'query', schema: { enum: ['pending', 'running', 'succeeded', 'failed', 'superseded'] } },
          { name: 'connector', in: 'query', schema: { type: 'string' } },
          { name: 'user', in: 'query', schema: { type: 'string' }, description: 'local user (or group) id' },
          { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000 } },
          { name: 'before', in: 'query', schema: { type: 'string' }, description: 'job id from the previous page’s next' },
        ],
        responses: { '200': json({ type: 'object', properties: { jobs: { type: 'array', items: { $ref: '#/components/schemas/Job' } }, next: { type: ['string', 'null'] } } }), '400': json(error, 'Bad filter'), ...errors },
      },
    },
    '/jobs/{id}': { get: { summary: 'One job with its attempts', parameters: [idParam('job id')], responses: { '200': json({ $ref: '#/components/schemas/Job' }), ...errors } } },
    '/jobs/{id}/retry': { post: { summary: 'Retry a failed job with a fresh attempt budget', parameters: [idParam('job id')], responses: { '200': json({ $ref: '#/components/schemas/Job' }), '409': json(error, 'Job is not failed'), ...errors } } },
    '/users/{id}/links': { get: { summary: 'Links of a user to every connector instance', parameters: [idParam('local user id')], responses: { '200': json({ type: 'array', items: { $ref: '#/components/schemas/Link' } }), ...errors } } },
    '/groups/{id}/links': { get: { summary: 'Links of a group', parameters: [idParam('local group id')], responses: { '200': json({ type: 'array', items: { $ref: '#/components/schemas/Link' } }), ...errors } } },
    '/audit': {
      get: {
        summary: 'Audit trail, newest first: who (scim:<name>, admin:<name>) changed what',
        parameters: [{ name: 'entity', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000 } }, { name: 'before', in: 'query', schema: { type: 'integer' }, description: 'seq from the previous page’s next' }],
        responses: { '200': json({ type: 'object', properties: { entries: { type: 'array', items: { type: 'object' } }, next: { type: ['integer', 'null'] } } }), '400': json(error, 'Bad before'), ...errors },
      },
    },
  },
} as const;

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
    '/connectors/{id}': { get: { summary: 'One instance: settings with secrets masked, default mapping', parameters: [idParam('instance id')], responses: { '200': json({ type: 'object' }), ...errors } } },
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
      get: { summary: 'Audit trail, newest first', parameters: [{ name: 'entity', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer' } }], responses: { '200': json({ type: 'object' }), ...errors } },
    },
  },
} as const;

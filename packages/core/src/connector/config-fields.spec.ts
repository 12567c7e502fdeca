import { z } from 'zod';
import { configFields } from './config-fields.js';

describe('configFields', () => {
  const schema = z.object({
    baseUrl: z.string().url().describe('Where the API lives.'),
    timeoutMs: z.number().int().default(30000),
    tls: z.object({ verify: z.boolean().default(true) }).optional(),
    auth: z.discriminatedUnion('type', [
      z.object({ type: z.literal('bearer'), token: z.string() }),
      z.object({ type: z.literal('basic'), username: z.string(), password: z.string() }),
    ]),
    version: z
      .string()
      .default('v1')
      .transform((v) => v.toUpperCase()),
  });

  it('flattens nested objects to dot paths with type, requiredness, defaults, descriptions and secrets', () => {
    const rows = configFields(schema, ['auth.token', 'auth.password']);
    const byPath = Object.fromEntries(rows.map((r) => [`${r.path}${r.variant ? ` (${r.variant})` : ''}`, r]));
    expect(byPath['baseUrl']).toMatchObject({ type: 'string (URL)', required: true, secret: false, description: 'Where the API lives.' });
    expect(byPath['timeoutMs']).toMatchObject({ type: 'integer', required: false, default: 30000 });
    expect(byPath['tls.verify']).toMatchObject({ type: 'boolean', required: false, default: true });
    // A default that sits on a transform still shows.
    expect(byPath['version']).toMatchObject({ required: false, default: 'v1' });
  });

  it('lists each variant of a discriminated union with its own fields', () => {
    const rows = configFields(schema, ['auth.token', 'auth.password']);
    expect(rows.find((r) => r.path === 'auth.type')).toMatchObject({ type: '"bearer" | "basic"', required: true });
    expect(rows.filter((r) => r.variant === 'auth.type: bearer').map((r) => [r.path, r.secret])).toEqual([['auth.token', true]]);
    expect(rows.filter((r) => r.variant === 'auth.type: basic').map((r) => [r.path, r.secret])).toEqual([
      ['auth.username', false],
      ['auth.password', true],
    ]);
  });
});

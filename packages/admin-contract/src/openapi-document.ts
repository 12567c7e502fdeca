import { z } from 'zod';
import { ADMIN_ROUTES } from './admin-routes.js';
import { COMPONENT_SCHEMAS } from './components.js';
import type { AdminRoute } from './route-table.js';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  security: Record<string, string[]>[];
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, JsonSchema> };
  paths: Record<string, Record<string, unknown>>;
}

const COMPONENT_REF = (name: string) => `#/components/schemas/${name}`;

/** A schema as it sits inside the document: no per-schema $schema/$id (the document's dialect is 2020-12). */
function embedded(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

function componentSchemas(): { schemas: Record<string, JsonSchema>; refOf: Map<z.ZodType, string> } {
  const registry = z.registry<{ id: string }>();
  const refOf = new Map<z.ZodType, string>();
  for (const [name, schema] of Object.entries(COMPONENT_SCHEMAS)) {
    registry.add(schema, { id: name });
    refOf.set(schema, name);
  }
  const { schemas } = z.toJSONSchema(registry, { uri: COMPONENT_REF, io: 'output' });
  return { schemas: Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, embedded(s as JsonSchema)])), refOf };
}

const inputSchema = (schema: z.ZodType) => embedded(z.toJSONSchema(schema, { io: 'input' }) as JsonSchema);

/** Path and query parameters, one per property of the route's schemas. */
function parameters(route: AdminRoute): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const { properties = {}, required = [] } = inputSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      list.push({
        name,
        in: where,
        required: where === 'path' || required.includes(name),
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  }
  return list;
}

function operation(route: AdminRoute, refOf: Map<z.ZodType, string>): JsonSchema {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => {
      const content = Object.fromEntries(
        Object.entries(response.content).map(([mediaType, schema]) => {
          const name = refOf.get(schema as z.ZodType);
          if (!name) throw new Error(`${route.operationId} ${status} ${mediaType}: the response schema is not in COMPONENT_SCHEMAS`);
          return [mediaType, { schema: { $ref: COMPONENT_REF(name) } }];
        }),
      );
      return [status, { description: response.description, content }];
    }),
  );
  const params = parameters(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.authenticated ? {} : { security: [] }),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: inputSchema(route.body) } } } } : {}),
    responses,
  };
}

/** OpenAPI 3.1 of /admin/v1, generated from ADMIN_ROUTES and their zod schemas; the server serves it at /admin/v1/openapi.json. */
export function adminOpenApiDocument(): OpenApiDocument {
  const { schemas, refOf } = componentSchemas();
  const paths: OpenApiDocument['paths'] = {};
  for (const route of Object.values(ADMIN_ROUTES) as AdminRoute[]) {
    paths[route.path] = { ...paths[route.path], [route.method]: operation(route, refOf) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Provisio admin API',
      version: '1',
      description: 'See and steer outbound provisioning: connector instances, jobs, links, audit. Generated from @provisio/admin-contract.',
    },
    servers: [{ url: '/admin/v1' }],
    security: [{ bearer: [] }, { basic: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } }, schemas },
    paths,
  };
}

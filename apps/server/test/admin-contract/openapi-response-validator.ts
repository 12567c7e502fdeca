import { Ajv2020 } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import type { OpenApiDocument } from '@provisio/admin-contract';

// ajv-formats is CommonJS: under ESM its function is the default export's default.
const formatsModule = addFormatsModule as unknown as { default: FormatsPlugin | { default: FormatsPlugin } };
const addFormats: FormatsPlugin = typeof formatsModule.default === 'function' ? formatsModule.default : formatsModule.default.default;

/** One admin API answer as a client received it. */
export interface AdminExchange {
  method: string;
  /** The request path from /admin/v1 on, query included. */
  path: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

const PREFIX = '/admin/v1';
const DOCUMENT_ID = 'urn:provisio:admin-openapi';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}

/** The document's path templates as regexes, literal paths before templated ones. */
function pathMatchers(document: OpenApiDocument) {
  return Object.keys(document.paths)
    .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))
    .map((template) => ({
      template,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    }));
}

/**
 * Checks admin answers against the OpenAPI document (JSON Schema draft 2020-12,
 * as OpenAPI 3.1 uses): the path and method must be documented (else only the
 * catch-all 404 is allowed), the status must be one the operation lists, and the
 * body must match the schema of its content type (NDJSON: every line).
 */
export function createOpenApiResponseValidator(document: OpenApiDocument): (exchange: AdminExchange) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const matchers = pathMatchers(document);
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (pointer: string) => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  };
  const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  const errorPointer = '/components/schemas/Error';

  const check = (pointer: string, value: unknown): string | undefined => {
    const validate = validatorFor(pointer);
    if (validate(value)) return undefined;
    // "body/jobs/0 must NOT have additional properties (drift)": the field named, not just its parent.
    return (validate.errors ?? [])
      .map(
        (e) =>
          `body${e.instancePath} ${e.message ?? 'is invalid'}${'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      )
      .join('; ');
  };

  return (exchange) => {
    const path = exchange.path.split('?')[0].replace(/^\/admin\/v1/, '') || '/';
    const where = `${exchange.method} ${PREFIX}${path} → ${exchange.status}`;
    const mediaType = (exchange.contentType ?? '').split(';')[0].trim().toLowerCase();
    const parse = (text: string): { value?: unknown; problem?: string } => {
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { problem: `${where}: the body is not JSON: ${text.slice(0, 120)}` };
      }
    };
    const template = matchers.find((m) => m.regex.test(path))?.template;
    const operation = template ? (document.paths[template][exchange.method.toLowerCase()] as Operation | undefined) : undefined;
    if (!template || !operation) {
      if (exchange.status !== 404) return [`${where}: ${exchange.method} ${path} is not in the OpenAPI document`];
      const { value, problem } = parse(exchange.body);
      if (problem) return [problem];
      const mismatch = check(errorPointer, value);
      return mismatch ? [`${where} (no such endpoint): ${mismatch}`] : [];
    }
    const response = operation.responses[String(exchange.status)];
    if (!response)
      return [
        `${where}: status ${exchange.status} is not documented for ${exchange.method} ${template} (documented: ${Object.keys(operation.responses).join(', ')})`,
      ];
    const content = response.content ?? {};
    if (!content[mediaType])
      return [`${where}: content type "${mediaType}" is not documented (documented: ${Object.keys(content).join(', ') || 'none'})`];
    const pointer = `/paths/${escape(template)}/${exchange.method.toLowerCase()}/responses/${exchange.status}/content/${escape(mediaType)}/schema`;
    const bodies = mediaType === 'application/x-ndjson' ? exchange.body.split('\n').filter((line) => line.trim() !== '') : [exchange.body];
    const problems: string[] = [];
    for (const [index, text] of bodies.entries()) {
      const { value, problem } = parse(text);
      const mismatch = problem ?? check(pointer, value);
      if (mismatch) problems.push(problem ?? `${where}${bodies.length > 1 ? ` (line ${index + 1})` : ''}: ${mismatch}`);
    }
    return problems;
  };
}

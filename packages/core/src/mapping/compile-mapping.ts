import type { MappedAttributes } from '../connector/outbound-connector.js';
import { isPermanentError, PermanentError } from '../errors.js';
import { ExpressionFunctions } from '../extension/expression-function.js';
import type { AttributeCatalog } from './attribute-catalog.js';
import { isMissing } from './compiled-expression.js';
import { compileExpression } from './expression-compiler.js';
import { MappingError, type MappingIssue } from './mapping-error.js';
import { compileTransform, type Transform } from './transforms.js';
import { compileCandidates } from './unique-candidates.js';
import type { ValueSource } from './value-source.js';

export type MappingDefault = string | number | boolean;

/** One remote field's rule as the manifest writes it (see `mappingRuleSchema`). */
export type MappingRuleSpec =
  | string
  | {
      from?: string;
      default?: MappingDefault;
      transform?: string | string[];
      /** Resolve the value (a name) to the id of a remote record, e.g. `Profile.Name`; the connector does it. */
      lookup?: string;
    };

export interface CompileMappingOptions {
  /** Prefix of the field names in error messages; default `mapping`. */
  label?: string;
  /** Plugins' expression functions, callable in `from` and `transform` (default: none). */
  functions?: ExpressionFunctions;
  /** When given, every attribute path must be one the identities can carry (`provisio validate`). */
  attributes?: AttributeCatalog;
}

export interface CompiledMapping {
  /** The remote fields, in manifest order. */
  readonly fields: readonly string[];
  /** Fields whose `from` is `selectUniqueValue(...)`: picked when the account is created (unique-values.ts), then kept. */
  readonly uniqueFields: readonly string[];
  /** Remote field → its `lookup` (`Profile.Name`), for the connector to resolve names to ids. */
  readonly lookups: Readonly<Record<string, string>>;
  /**
   * The remote attributes for one identity; a field with neither value nor default is left out.
   * A selectUniqueValue field keeps the value `remembered` holds for it (the link's synced
   * attributes), and is left out without one: it is never re-picked for an existing account.
   */
  apply(resource: object, remembered?: MappedAttributes): MappedAttributes;
  /** A selectUniqueValue field's candidates for one identity: in order, transformed, without empty ones or repeats. */
  candidates(field: string, resource: object): unknown[];
}

interface CompiledField {
  name: string;
  source?: ValueSource;
  /** selectUniqueValue's candidates, in order. */
  candidates?: ValueSource[];
  default?: MappingDefault;
  transforms: Transform[];
  lookup?: string;
}

/**
 * Validates and compiles a connector's mapping once, for use on every job.
 * Per field: the first value at `from` → else `default` → then each transform in order
 * (defaults are transformed too, so `default: "false"` + `boolean` gives false).
 * Throws MappingError listing every broken field; at run time a field that cannot be
 * evaluated (a date that does not parse) is a PermanentError naming the field.
 */
export function compileMapping(
  rules: Readonly<Record<string, MappingRuleSpec>> = {},
  options: CompileMappingOptions = {},
): CompiledMapping {
  const label = options.label ?? 'mapping';
  const functions = options.functions ?? ExpressionFunctions.none;
  const issues: MappingIssue[] = [];
  const fields: CompiledField[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const problems: string[] = [];
    const field = compileField(name, rule, problems, functions, options.attributes);
    for (const message of problems) issues.push({ field: `${label}.${name}`, message });
    if (problems.length === 0) fields.push(field);
  }
  if (issues.length > 0) throw new MappingError(issues);
  const byName = new Map(fields.map((field) => [field.name, field]));
  const evaluate = <T>(field: CompiledField, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (isPermanentError(error)) throw new PermanentError(`${label}.${field.name}: ${error.message}`, { cause: error });
      throw error;
    }
  };
  return {
    fields: fields.map((field) => field.name),
    uniqueFields: fields.filter((field) => field.candidates).map((field) => field.name),
    lookups: Object.fromEntries(fields.filter((field) => field.lookup).map((field) => [field.name, field.lookup as string])),
    apply: (resource, remembered) => {
      const mapped: MappedAttributes = {};
      for (const field of fields) {
        if (field.candidates) {
          if (!isMissing(remembered?.[field.name])) mapped[field.name] = remembered?.[field.name];
          continue;
        }
        const value = evaluate(field, () => valueOf(field, field.source, resource));
        if (value !== undefined) mapped[field.name] = value;
      }
      return mapped;
    },
    candidates: (name, resource) => {
      const field = byName.get(name);
      if (!field?.candidates) return [];
      const values = evaluate(field, () => field.candidates?.map((candidate) => valueOf(field, candidate, resource)) ?? []);
      const found = values.filter((value) => !isMissing(value));
      return found.filter((value, index) => found.findIndex((other) => JSON.stringify(other) === JSON.stringify(value)) === index);
    },
  };
}

function valueOf(field: CompiledField, source: ValueSource | undefined, resource: object): unknown {
  const found = source?.(resource);
  let value = isMissing(found) ? field.default : found;
  if (value === undefined) return undefined;
  for (const transform of field.transforms) value = transform(value);
  return value;
}

function compileField(
  name: string,
  rule: MappingRuleSpec,
  problems: string[],
  functions: ExpressionFunctions,
  attributes: AttributeCatalog | undefined,
): CompiledField {
  const field: CompiledField = { name, transforms: [] };
  if (name.trim() === '') problems.push('the remote field name is empty');
  const spec = typeof rule === 'string' ? { from: rule } : rule;
  if (typeof spec !== 'object' || spec === null) {
    problems.push('expected a path, a claim URI or { from, default, transform, lookup }');
    return field;
  }
  if (spec.from === undefined && spec.default === undefined) problems.push('give from, default, or both');
  if (spec.from !== undefined) {
    if (typeof spec.from !== 'string' || spec.from.trim() === '') problems.push('from must be a non-empty string');
    else {
      const context = { functions, attributes };
      const candidates = compileCandidates(spec.from.trim(), context);
      const compiled = candidates ?? compileExpression(spec.from.trim(), context);
      if (typeof compiled === 'string') problems.push(compiled);
      else if (Array.isArray(compiled)) field.candidates = compiled;
      else if (compiled.kind === 'list' && spec.lookup !== undefined) problems.push('lookup resolves one name; this from gives a list');
      else field.source = compiled.value;
    }
  }
  if (spec.default !== undefined) {
    if (['string', 'number', 'boolean'].includes(typeof spec.default)) field.default = spec.default;
    else problems.push('default must be a string, number or boolean');
  }
  if (spec.lookup !== undefined) {
    if (typeof spec.lookup === 'string' && spec.lookup.trim() !== '') field.lookup = spec.lookup.trim();
    else problems.push('lookup must be a non-empty string, e.g. Profile.Name');
  }
  const transforms = spec.transform === undefined ? [] : Array.isArray(spec.transform) ? spec.transform : [spec.transform];
  for (const text of transforms) {
    const transform = typeof text === 'string' ? compileTransform(text, functions) : 'each transform must be a string';
    if (typeof transform === 'string') problems.push(transform);
    else field.transforms.push(transform);
  }
  return field;
}

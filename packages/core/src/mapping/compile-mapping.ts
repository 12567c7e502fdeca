import type { MappedAttributes } from '../connector/outbound-connector.js';
import { ExpressionFunctions } from '../extension/expression-function.js';
import { MappingError, type MappingIssue } from './mapping-error.js';
import { compileTransform, type Transform } from './transforms.js';
import { compileSource, isMissing, type ValueSource } from './value-source.js';

export type MappingDefault = string | number | boolean;

/** One remote field's rule as the manifest writes it (see `mappingRuleSchema`). */
export type MappingRuleSpec =
  | string
  | {
      from?: string;
      default?: MappingDefault;
      transform?: string | string[];
    };

export interface CompileMappingOptions {
  /** Prefix of the field names in error messages; default `mapping`. */
  label?: string;
  /** Plugins' expression functions, callable in `from` and `transform` (default: none). */
  functions?: ExpressionFunctions;
}

export interface CompiledMapping {
  /** The remote fields, in manifest order. */
  readonly fields: readonly string[];
  /** The remote attributes for one identity; a field with neither value nor default is left out. */
  apply(resource: object): MappedAttributes;
}

interface CompiledField {
  name: string;
  source?: ValueSource;
  default?: MappingDefault;
  transforms: Transform[];
}

/**
 * Validates and compiles a connector's mapping once, for use on every job.
 * Per field: the first value at `from` → else `default` → then each transform in order
 * (defaults are transformed too, so `default: "false"` + `boolean` gives false).
 * Throws MappingError listing every broken field.
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
    const field = compileField(name, rule, problems, functions);
    for (const message of problems) issues.push({ field: `${label}.${name}`, message });
    if (problems.length === 0) fields.push(field);
  }
  if (issues.length > 0) throw new MappingError(issues);
  return {
    fields: fields.map((field) => field.name),
    apply: (resource) => {
      const mapped: MappedAttributes = {};
      for (const field of fields) {
        const value = valueOf(field, resource);
        if (value !== undefined) mapped[field.name] = value;
      }
      return mapped;
    },
  };
}

function valueOf(field: CompiledField, resource: object): unknown {
  const found = field.source?.(resource);
  let value = isMissing(found) ? field.default : found;
  if (value === undefined) return undefined;
  for (const transform of field.transforms) value = transform(value);
  return value;
}

function compileField(name: string, rule: MappingRuleSpec, problems: string[], functions: ExpressionFunctions): CompiledField {
  const field: CompiledField = { name, transforms: [] };
  if (name.trim() === '') problems.push('the remote field name is empty');
  const spec = typeof rule === 'string' ? { from: rule } : rule;
  if (typeof spec !== 'object' || spec === null) {
    problems.push('expected a path, a claim URI or { from, default, transform }');
    return field;
  }
  if (spec.from === undefined && spec.default === undefined) problems.push('give from, default, or both');
  if (spec.from !== undefined) {
    const source =
      typeof spec.from === 'string' && spec.from.trim() !== '' ? compileSource(spec.from, functions) : 'from must be a non-empty string';
    if (typeof source === 'string') problems.push(source);
    else field.source = source;
  }
  if (spec.default !== undefined) {
    if (['string', 'number', 'boolean'].includes(typeof spec.default)) field.default = spec.default;
    else problems.push('default must be a string, number or boolean');
  }
  const transforms = spec.transform === undefined ? [] : Array.isArray(spec.transform) ? spec.transform : [spec.transform];
  for (const text of transforms) {
    const transform = typeof text === 'string' ? compileTransform(text, functions) : 'each transform must be a string';
    if (typeof transform === 'string') problems.push(transform);
    else field.transforms.push(transform);
  }
  return field;
}

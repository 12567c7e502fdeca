import type { z } from 'zod';
import { closestName } from '../text/edit-distance.js';
import { formatPath, joinPath, type ManifestProblem } from './manifest-problems.js';

/** The parts of zod's internal definition this walk reads (zod v4 `_zod.def`). */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** The schema under optional/default/pipe/lazy wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else return current;
  }
  return current;
}

/** The option of a union that `input` is meant for: by discriminator, else the only object option, else the first that accepts it. */
function unionOption(def: Def, input: unknown): z.ZodType | undefined {
  const options = def.options ?? [];
  if (def.discriminator && isRecord(input)) {
    const wanted = input[def.discriminator];
    return options.find((option) => {
      const literal = unwrap(option);
      const tag = defOf(literal).shape?.[def.discriminator as string];
      return tag !== undefined && tag.safeParse(wanted).success;
    });
  }
  if (isRecord(input)) {
    const objects = options.filter((option) => defOf(unwrap(option)).type === 'object');
    if (objects.length === 1) return objects[0];
  }
  return options.find((option) => option.safeParse(input).success);
}

/**
 * Keys of `input` that no object schema along the way declares: each one a problem
 * at its exact path, with the nearest declared name when one is close
 * (`inbound.scim.auht: unknown key; did you mean auth?`). Objects that accept any
 * key on purpose (`z.looseObject`, `.catchall()`, records) are not checked.
 * This makes a plain `z.object` (which zod would silently strip) strict too.
 */
export function unknownKeyProblems(schema: z.ZodType, input: unknown, prefix = ''): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const walk = (node: z.ZodType, value: unknown, path: PropertyKey[], depth: number): void => {
    if (depth > 64) return; // a schema that recurses through lazy() forever: stop, the parse reports the rest
    const current = unwrap(node);
    const def = defOf(current);
    if (def.type === 'object' && isRecord(value)) {
      const shape = def.shape ?? {};
      const strict = def.catchall === undefined || defOf(def.catchall).type === 'never';
      for (const [key, child] of Object.entries(value)) {
        const declared = Object.hasOwn(shape, key) ? shape[key] : undefined;
        if (declared) walk(declared, child, [...path, key], depth + 1);
        else if (strict)
          problems.push({ path: joinPath(prefix, formatPath([...path, key])), message: unknownKeyMessage(key, Object.keys(shape)) });
      }
    } else if (def.type === 'array' && Array.isArray(value) && def.element) {
      const element = def.element;
      value.forEach((item, index) => walk(element, item, [...path, index], depth + 1));
    } else if (def.type === 'record' && isRecord(value) && def.valueType) {
      const valueType = def.valueType;
      for (const [key, child] of Object.entries(value)) walk(valueType, child, [...path, key], depth + 1);
    } else if (def.type === 'union') {
      const option = unionOption(def, value);
      if (option) walk(option, value, path, depth + 1);
    }
  };
  walk(schema, input, [], 0);
  return problems;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closestName(key, known);
  return suggestion ? `unknown key; did you mean ${suggestion}?` : `unknown key; expected one of ${known.join(', ')}`;
}

import type { MappedAttributes } from '../connector/outbound-connector.js';
import { PermanentError } from '../errors.js';
import type { CompiledMapping } from './compile-mapping.js';
import { isMissing } from './compiled-expression.js';

/** Whether the target already has an account whose `field` is `value`. */
export type IsTaken = (field: string, value: unknown) => Promise<boolean>;

/**
 * selectUniqueValue, as Entra does it at create time: for each such field `attributes` lacks
 * (the link remembers no value yet), the first candidate no account of the target has. Every
 * candidate taken is a permanent failure naming them: retrying would pick from the same list.
 */
export async function pickUniqueValues(
  mapping: CompiledMapping,
  resource: object,
  attributes: MappedAttributes,
  isTaken: IsTaken,
  label = 'mapping',
): Promise<MappedAttributes> {
  let picked = attributes;
  for (const field of mapping.uniqueFields) {
    if (!isMissing(attributes[field])) continue;
    const candidates = mapping.candidates(field, resource);
    let chosen: unknown;
    for (const candidate of candidates) {
      if (!(await isTaken(field, candidate))) {
        chosen = candidate;
        break;
      }
    }
    if (chosen !== undefined) picked = { ...picked, [field]: chosen };
    else if (candidates.length > 0)
      throw new PermanentError(
        `${label}.${field}: selectUniqueValue found every candidate taken in the target (${candidates.map((c) => JSON.stringify(c)).join(', ')}); add a candidate`,
      );
  }
  return picked;
}

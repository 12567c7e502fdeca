/**
 * The User schema of a SCIM target as the connector needs it (RFC 7643 §7): which attributes,
 * sub-attributes and extensions exist, their types, and whether they are multi-valued or read-only.
 */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';

export interface TargetAttribute {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  /** mutability readOnly (2.0) or readOnly: true (1.1): the service owns it. */
  readOnly: boolean;
  subAttributes: readonly TargetAttribute[];
}

export interface TargetExtension {
  /** The extension's URN: its key in the resource and the prefix of its attribute paths. */
  id: string;
  attributes: readonly TargetAttribute[];
}

export interface TargetUserSchema {
  /** The core User schema URN (2.0) or urn:scim:schemas:core:1.0. */
  core: string;
  attributes: readonly TargetAttribute[];
  extensions: readonly TargetExtension[];
  /** Where it came from, for messages: the target's discovery endpoint, or the RFC's schema when it has none. */
  source: string;
}

const ATTRIBUTE_TYPES: readonly string[] = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary'];

export function isAttributeType(value: unknown): value is AttributeType {
  return typeof value === 'string' && ATTRIBUTE_TYPES.includes(value);
}

/** Attribute and sub-attribute names are case-insensitive (RFC 7643 §2.1). */
export function findAttribute(attributes: readonly TargetAttribute[], name: string): TargetAttribute | undefined {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
}

export function findExtension(schema: TargetUserSchema, urn: string): TargetExtension | undefined {
  const lower = urn.toLowerCase();
  return schema.extensions.find((e) => e.id.toLowerCase() === lower);
}

type Options = Partial<Pick<TargetAttribute, 'multiValued' | 'readOnly'>>;

export function simple(name: string, type: Exclude<AttributeType, 'complex'> = 'string', options: Options = {}): TargetAttribute {
  return { name, type, multiValued: false, readOnly: false, subAttributes: [], ...options };
}

export function complex(name: string, subAttributes: readonly TargetAttribute[], options: Options = {}): TargetAttribute {
  return { name, type: 'complex', multiValued: false, readOnly: false, subAttributes, ...options };
}

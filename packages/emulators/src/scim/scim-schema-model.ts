// The RFC 7643 §7 attribute model: enough of it to validate, filter, patch and publish /Schemas.
export type AttrType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
type Returned = 'always' | 'never' | 'default' | 'request';

export interface AttrDef {
  name: string;
  type: AttrType;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: 'none' | 'server' | 'global';
  description: string;
  subAttributes?: AttrDef[];
  canonicalValues?: string[];
  referenceTypes?: string[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttrDef[];
}

type AttrOptions = Partial<Omit<AttrDef, 'name' | 'type'>>;

export function attr(name: string, type: AttrType, options: AttrOptions = {}): AttrDef {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    description: name,
    ...options,
  };
}

export function complex(name: string, subAttributes: AttrDef[], options: AttrOptions = {}): AttrDef {
  return attr(name, 'complex', { ...options, subAttributes });
}

/** The usual multi-valued shape (RFC 7643 §2.4): value, display, type, primary. */
export function multiValuedComplex(name: string, extra: AttrDef[] = [], options: AttrOptions = {}): AttrDef {
  return complex(name, [attr('value', 'string'), attr('display', 'string'), attr('type', 'string'), attr('primary', 'boolean'), ...extra], {
    multiValued: true,
    ...options,
  });
}

export function findAttr(attrs: readonly AttrDef[] | undefined, name: string): AttrDef | undefined {
  const lower = name.toLowerCase();
  return attrs?.find((a) => a.name.toLowerCase() === lower);
}

// describeGlobal and describeSObject answers built from the schema.
import type { FieldDef, SObjectDef } from './schema.js';
import { SOBJECTS } from './schema.js';

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  datetime: 'xsd:dateTime',
};

function urls(sobject: SObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${sobject.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function describeField(field: FieldDef): Record<string, unknown> {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    soapType: SOAP_TYPES[field.type],
    length: field.type === 'boolean' || field.type === 'datetime' ? 0 : (field.length ?? 0),
    nillable: field.nillable || field.defaultedOnCreate === true || field.type === 'boolean' ? field.nillable : false,
    createable: field.createable,
    updateable: field.updateable,
    defaultedOnCreate: field.defaultedOnCreate === true,
    unique: field.name === 'Username',
    idLookup: field.name === 'Id' || field.name === 'Username',
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.type === 'reference' && field.name.endsWith('Id') ? field.name.slice(0, -2) : null,
    restrictedPicklist: field.picklistValues !== undefined,
    picklistValues: (field.picklistValues ?? []).map((value) => ({
      active: true,
      defaultValue: false,
      label: value,
      validFor: null,
      value,
    })),
  };
}

function summary(sobject: SObjectDef, version: string): Record<string, unknown> {
  return {
    name: sobject.name,
    label: sobject.label,
    labelPlural: sobject.labelPlural,
    keyPrefix: sobject.keyPrefix,
    custom: false,
    createable: sobject.createable,
    updateable: sobject.updateable,
    deletable: sobject.deletable,
    queryable: true,
    retrieveable: true,
    searchable: sobject.name === 'User',
    urls: urls(sobject, version),
  };
}

export function describeGlobal(version: string): Record<string, unknown> {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: SOBJECTS.map((s) => summary(s, version)) };
}

export function describeSObject(sobject: SObjectDef, version: string): Record<string, unknown> {
  return { ...summary(sobject, version), fields: sobject.fields.map(describeField), childRelationships: [], recordTypeInfos: [] };
}

export function sobjectBasicInfo(sobject: SObjectDef, version: string): Record<string, unknown> {
  return { objectDescribe: summary(sobject, version), recentItems: [] };
}

import { remoteDetail, type HttpCall, type HttpResponse, type ProvisioningErrorKind } from '@provisio/core';
import { asObject } from './scim-dialect.js';

export type ScimOperation = 'create' | 'update' | 'delete' | 'read';

/** The answer of a SCIM call, its body parsed as JSON. */
export type ParsedResponse = HttpResponse;

/** A SCIM call as the session's HTTP client sees it: what it does decides what a 409 means. */
export interface ScimHttpCall extends HttpCall {
  operation: ScimOperation;
}

function scimTypeOf(response: Pick<ParsedResponse, 'body'>): string | undefined {
  const scimType = asObject(response.body)?.['scimType'];
  return typeof scimType === 'string' ? scimType : undefined;
}

/** The remote's own explanation: SCIM 2.0 `detail` (with its scimType), SCIM 1.1 `Errors[0].description`, OAuth's. */
export function scimFailureDetail(response: Pick<ParsedResponse, 'body' | 'text'>): string {
  const scimType = scimTypeOf(response);
  const v1 = Array.isArray(asObject(response.body)?.['Errors'])
    ? asObject((asObject(response.body)?.['Errors'] as unknown[])[0])
    : undefined;
  const description = v1?.['description'];
  const detail = typeof description === 'string' && description.trim() !== '' ? description : remoteDetail(response);
  return scimType ? `(${scimType}) ${detail}` : detail;
}

/**
 * Where SCIM differs from core's usual reading of a status: a 409 is a conflict (the account
 * exists) only on create or as `uniqueness`; on update it, like 412, means "changed meanwhile":
 * read again and retry. 401 never reaches here: the HTTP client handles it after one refresh.
 */
export function scimErrorKind(
  response: Pick<ParsedResponse, 'status' | 'body'>,
  call: Pick<ScimHttpCall, 'operation'>,
): ProvisioningErrorKind | undefined {
  if (response.status === 409 && (call.operation === 'create' || scimTypeOf(response) === 'uniqueness')) return 'conflict';
  if (response.status === 409 || response.status === 412) return 'transient';
  return undefined;
}

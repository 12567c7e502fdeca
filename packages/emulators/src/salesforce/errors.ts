// Salesforce's two error shapes: the REST error array
// `[{message, errorCode, fields?}]` and the per-record SaveResult error
// `{statusCode, message, fields}` used inside sObject Collections answers.

export interface RestErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** Thrown by handlers; the router turns it into `status` + `[items]`. */
export class SalesforceRestError extends Error {
  constructor(
    readonly status: number,
    readonly items: RestErrorItem[],
    readonly extraHeaders: Record<string, string> = {},
  ) {
    super(items[0]?.message ?? 'error');
    this.name = items[0]?.errorCode ?? 'SalesforceRestError';
  }

  static single(status: number, errorCode: string, message: string, fields?: string[]): SalesforceRestError {
    return new SalesforceRestError(status, [fields ? { message, errorCode, fields } : { message, errorCode }]);
  }

  /** A record-level DML failure reported on a single-record endpoint (always HTTP 400). */
  static fromRecordError(error: RecordError): SalesforceRestError {
    return new SalesforceRestError(400, [{ message: error.message, errorCode: error.statusCode, fields: error.fields }]);
  }
}

export const restErrors = {
  notFound: (): SalesforceRestError => SalesforceRestError.single(404, 'NOT_FOUND', 'The requested resource does not exist'),
  invalidSession: (): SalesforceRestError => SalesforceRestError.single(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
  requestLimitExceeded: (): SalesforceRestError =>
    SalesforceRestError.single(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  methodNotAllowed: (method: string, allowed: string[]): SalesforceRestError =>
    new SalesforceRestError(
      405,
      [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}` }],
      { Allow: allowed.join(', ') },
    ),
  jsonParser: (message: string): SalesforceRestError => SalesforceRestError.single(400, 'JSON_PARSER_ERROR', message),
};

/** Error body of the OAuth token endpoint: `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = error;
  }
}

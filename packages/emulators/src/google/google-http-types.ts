// Transport-neutral request/response shapes: the same handlers serve plain HTTP calls and the
// inner requests of a multipart batch.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface ApiRequest {
  method: string;
  /** Path without query string, percent-decoding left to the router. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON; absent for 204. */
  json?: unknown;
  /** Raw text body with its own content type (batch, HTML 404). */
  text?: { body: string; contentType: string };
  /** Injected fault: the answer is never sent, the connection is destroyed instead. */
  dropConnection?: boolean;
}

export const jsonResponse = (status: number, json: unknown, headers?: Record<string, string>): ApiResponse => ({
  status,
  json,
  ...(headers ? { headers } : {}),
});

const NOT_FOUND_HTML = '<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title><p><b>404.</b> That’s an error.</html>';

/** Google's front end answers unknown paths and methods with an HTML page, not the JSON envelope. */
export function notFoundPage(): ApiResponse {
  return { status: 404, text: { body: NOT_FOUND_HTML, contentType: 'text/html; charset=UTF-8' } };
}

export const noContent = (): ApiResponse => ({ status: 204 });

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

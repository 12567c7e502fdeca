// What a REST handler gets: the org, the caller's session, the API version
// and the parsed request.
import type { SalesforceFaults } from './salesforce-faults.js';
import type { OrgState } from './org-state.js';
import type { QueryCursors } from './query-cursors.js';
import type { Session } from './session-store.js';

export interface RestRequest {
  method: string;
  /** Path segments after /services/data/vXX.X/ (already URI-decoded). */
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text ('' when none). */
  body: string;
}

export interface RestContext {
  state: OrgState;
  session: Session;
  version: string;
  cursors: QueryCursors;
  /** Injected faults that act per record (refused usernames). */
  faults: SalesforceFaults;
}

/** A handler's answer; `body: undefined` with 204 means no content. */
export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, status = 200): RestResponse => ({ status, body });
export const noContent = (): RestResponse => ({ status: 204 });

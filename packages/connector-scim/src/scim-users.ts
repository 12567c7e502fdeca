import {
  PermanentError,
  type DeletionResult,
  type RemoteCallOptions,
  type RemoteRef,
  type UserDeletion,
  type UserLookup,
  type UserPayload,
  type UserUpdate,
} from '@provisio/core';
import type { ScimConfig } from './scim-config.js';
import { asObject, filterLiteral, type JsonObject, type ScimDialect } from './scim-dialect.js';
import { resourceUrl } from './scim-endpoints.js';
import type { ParsedResponse, ScimOperation } from './scim-errors.js';
import type { UserModelCache } from './scim-schema-discovery.js';
import type { ServiceConfigCache } from './scim-service-config.js';
import type { ScimSession } from './scim-session.js';
import { UserRequests, type UserWrite } from './scim-user-requests.js';

// Statuses of a service that does not do PATCH at all (it may still advertise it).
const PATCH_REFUSED = [501, 405];
// scimTypes of a 400 to a PATCH whose value-filtered paths the service does not implement.
const FILTER_REFUSED = ['invalidpath', 'invalidfilter'];

function scimTypeOf(body: unknown): string {
  const scimType = asObject(body)?.['scimType'];
  return typeof scimType === 'string' ? scimType.toLowerCase() : '';
}

/** A 400 invalidPath/invalidFilter to a PATCH with value-filtered paths: the service has no valuePath support. */
export function refusesValueFilters(write: Pick<UserWrite, 'filtered'>, status: number, body: unknown): boolean {
  return write.filtered === true && status === 400 && FILTER_REFUSED.includes(scimTypeOf(body));
}

/** A 400 noTarget to a PATCH that replaced a filtered value: it is not (or no longer) there on the target. */
export function missedFilteredValue(write: Pick<UserWrite, 'replacesFiltered'>, status: number, body: unknown): boolean {
  return write.replacesFiltered === true && status === 400 && scimTypeOf(body) === 'notarget';
}
/** What one connector's user and group operations work with. */
export interface ScimResourceParts {
  session: ScimSession;
  dialect: ScimDialect;
  config: ScimConfig;
  features: ServiceConfigCache;
}

// Attributes the service owns; they do not belong in a PUT body.
const READ_ONLY = ['meta', 'groups'];

/** User operations, always addressed by the stored remote id; filters only to find an account. */
export class ScimUsers {
  readonly requests: UserRequests;

  constructor(
    private readonly parts: ScimResourceParts,
    private readonly endpoint: string,
    readonly models: UserModelCache,
  ) {
    this.requests = new UserRequests(parts.config);
  }

  async create(payload: UserPayload, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const model = await this.models.forKeys(Object.keys(payload.attributes));
    const response = await this.write(this.requests.create(model, payload), 'create', [], signal);
    return { remoteId: remoteIdOf(response), remoteName: this.requests.userName(payload) };
  }

  async update(update: UserUpdate, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const ref = { remoteId: update.remoteId, remoteName: this.requests.userName(update) };
    const model = await this.models.forKeys([...Object.keys(update.changed), ...Object.keys(update.attributes)]);
    if (await this.parts.features.usePatch()) {
      let patch = this.requests.patch(model, update, { valueFilters: await this.parts.features.valueFilters() });
      if (!patch) return ref;
      let response = await this.parts.session.send(this.call(patch, 'update', signal));
      // A PATCH is atomic (RFC 7644 §3.5.2): after a 400 nothing was applied, so the same change may go again.
      if (refusesValueFilters(patch, response.status, response.body)) {
        // Whole attributes this time, and from now on.
        this.parts.features.valueFiltersWereRefused();
        patch = this.requests.patch(model, update, { valueFilters: false });
        if (!patch) return ref;
        response = await this.parts.session.send(this.call(patch, 'update', signal));
      } else if (missedFilteredValue(patch, response.status, response.body)) {
        // The target lacks a value the mapping believed it held (changed there): add creates it.
        patch = this.requests.patch(model, update, { valueFilters: true, addOnly: true });
        if (!patch) return ref;
        response = await this.parts.session.send(this.call(patch, 'update', signal));
      }
      if (!PATCH_REFUSED.includes(response.status) || this.parts.config.patch === 'always') {
        this.ensureOk(patch, 'update', response);
        return ref;
      }
      this.parts.features.patchWasRefused();
    }
    await this.write(this.requests.replace(model, update), 'update', [], signal);
    return ref;
  }

  async delete(deletion: UserDeletion, { signal }: RemoteCallOptions = {}): Promise<DeletionResult> {
    if ((deletion.mode ?? this.parts.config.deleteMode) === 'delete') {
      await this.write(this.requests.remove(deletion), 'delete', [404], signal);
      return { mode: 'deleted' };
    }
    const found = await this.deactivate(deletion, signal);
    return { mode: found ? 'deactivated' : 'deleted' };
  }

  async find(lookup: UserLookup, { signal }: RemoteCallOptions = {}): Promise<RemoteRef | null> {
    if (lookup.match?.length) {
      // userName as the connector writes it (with the user store domain), the other fields as the rules give them.
      const filters = lookup.match.map((key) => {
        const value =
          key.remote === 'userName' ? (this.requests.userName({ accountName: key.value, attributes: {} }) ?? key.value) : key.value;
        return `${key.remote} eq ${filterLiteral(value)}`;
      });
      return this.firstFound(filters, signal);
    }
    const userName = this.requests.userName(lookup);
    // The externalId we send (mapped, else Provisio's local id), then the local record's own.
    const externalIds = new Set([this.requests.externalId(lookup), ...(lookup.externalId === undefined ? [] : [lookup.externalId])]);
    const filters = [
      ...(userName === undefined ? [] : [`userName eq ${filterLiteral(userName)}`]),
      ...[...externalIds].map((id) => `externalId eq ${filterLiteral(id)}`),
    ];
    return this.firstFound(filters, signal);
  }

  /** The account the first filter with a result finds, in order. */
  private async firstFound(filters: readonly string[], signal: AbortSignal | undefined): Promise<RemoteRef | null> {
    for (const filter of filters) {
      const url = `${this.endpoint}?filter=${encodeURIComponent(filter)}&attributes=userName`;
      const response = await this.parts.session.expectOk({ method: 'GET', url, operation: 'read', signal });
      const first = asObject(listResources(response)[0]);
      if (first && typeof first['id'] === 'string') {
        return { remoteId: first['id'], remoteName: typeof first['userName'] === 'string' ? first['userName'] : undefined };
      }
    }
    return null;
  }

  /** active: false by PATCH, or read-modify-PUT; false when the account is already gone. */
  private async deactivate(deletion: UserDeletion, signal: AbortSignal | undefined): Promise<boolean> {
    if (await this.parts.features.usePatch()) {
      const write = this.requests.deactivate(await this.models.forKeys([]), deletion);
      const response = await this.parts.session.send(this.call(write, 'delete', signal));
      if (response.status === 404) return false;
      if (!PATCH_REFUSED.includes(response.status) || this.parts.config.patch === 'always') {
        this.ensureOk(write, 'delete', response);
        return true;
      }
      this.parts.features.patchWasRefused();
    }
    const url = resourceUrl(this.endpoint, deletion.remoteId);
    const current = await this.parts.session.expectOk({ method: 'GET', url, operation: 'delete', signal }, [404]);
    if (current.status === 404) return false;
    const body: JsonObject = { ...(asObject(current.body) ?? {}), active: false };
    for (const key of READ_ONLY) delete body[key];
    return (await this.write({ method: 'PUT', id: deletion.remoteId, body }, 'delete', [404], signal)).status !== 404;
  }

  call(write: UserWrite, operation: ScimOperation, signal?: AbortSignal) {
    const url = write.id === undefined ? this.endpoint : resourceUrl(this.endpoint, write.id);
    return { method: write.method, url, body: write.body, operation, sensitive: [write.password], signal };
  }

  private async write(
    write: UserWrite,
    operation: ScimOperation,
    accept: number[],
    signal: AbortSignal | undefined,
  ): Promise<ParsedResponse> {
    return this.parts.session.expectOk(this.call(write, operation, signal), accept);
  }

  private ensureOk(write: UserWrite, operation: ScimOperation, response: ParsedResponse): void {
    if (response.status < 200 || response.status >= 300) throw this.parts.session.errorFor(this.call(write, operation), response);
  }
}

export function listResources(response: ParsedResponse): unknown[] {
  const resources = asObject(response.body)?.['Resources'];
  return Array.isArray(resources) ? resources : [];
}

/** The new resource's id: from the body, else the last segment of Location. */
export function remoteIdOf(response: Pick<ParsedResponse, 'body' | 'headers'>): string {
  const id = asObject(response.body)?.['id'];
  if (typeof id === 'string' && id !== '') return id;
  const location = response.headers['location'];
  const fromLocation = typeof location === 'string' ? decodeURIComponent(location.replace(/\/+$/, '').split('/').pop() ?? '') : '';
  if (fromLocation) return fromLocation;
  throw new PermanentError('the SCIM service created a resource but returned neither its id nor a Location');
}

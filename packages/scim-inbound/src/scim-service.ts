import { type Logger, type ScimGroup, type ScimUser } from '@provisio/core';
import {
  groupView,
  userView,
  type GroupRecord,
  type UserRecord,
  type IdentityService,
  type Store,
  type WriteResult,
} from '@provisio/core/engine';
import { project } from './attribute-projection.js';
import { expectedVersion, notModified } from './etag.js';
import { readListRequest, attributeList } from './list-query.js';
import { membersDeltaOf } from './members-delta.js';
import { applyPatch, readPatchRequest, type PatchOperation } from './patch-operations.js';
import { notFound, ScimError } from './scim-error.js';
import { isPlainObject, validateResource, type ResourceKind } from './resource-validator.js';
import { assertUniqueExtensionValues } from './extension-uniqueness.js';
import { CORE_SCHEMAS, type ScimSchemas } from './scim-schemas.js';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** One request as the service sees it, whatever the transport (HTTP route or a Bulk operation). */
export interface ScimRequest {
  actor: string;
  /** Absolute URL of the SCIM 2.0 root, e.g. https://host/scim/v2 (for Location and meta.location). */
  base: string;
  params?: Record<string, unknown>;
  ifMatch?: string;
  ifNoneMatch?: string;
  /** PATCH: answer 200 with the resource even without `attributes` (Prefer: return=representation). */
  wantRepresentation?: boolean;
}

export interface ScimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Resource = Record<string, unknown> & { id?: string; meta?: { version?: string; location?: string } };

export interface ScimServiceOptions {
  identities: IdentityService;
  store: Store;
  maxResults: number;
  logger: Logger;
  /** This server's schemas, extensions included (default: core and enterprise only). */
  schemas?: ScimSchemas;
}

const endpoint = (kind: ResourceKind) => (kind === 'User' ? 'Users' : 'Groups');

/**
 * Users and Groups over core's IdentityService: validation, ETags, projection,
 * PATCH with optimistic retries, lists pushed into the store. No HTTP here, so
 * Bulk runs exactly the same code as the routes.
 */
export class ScimService {
  readonly schemas: ScimSchemas;

  constructor(private readonly options: ScimServiceOptions) {
    this.schemas = options.schemas ?? CORE_SCHEMAS;
  }

  async list(kind: ResourceKind, request: ScimRequest, params: Record<string, unknown>): Promise<ScimResponse> {
    const list = readListRequest(params, this.options.maxResults);
    const page = kind === 'User' ? await this.options.store.queryUsers(list.query) : await this.options.store.queryGroups(list.query);
    const wantsGroups =
      !list.excludedAttributes?.some((a) => a.toLowerCase() === 'groups') &&
      (!list.attributes || list.attributes.some((a) => a.toLowerCase().startsWith('groups')));
    const resources: Resource[] = [];
    for (const record of page.records) {
      const view: Resource =
        kind === 'User'
          ? (userView(
              record as UserRecord,
              wantsGroups ? await this.options.store.groupSummariesOfMember(record.id) : [],
            ) as unknown as Resource)
          : (groupView(record as GroupRecord) as unknown as Resource);
      resources.push(
        project(
          this.schemas.withoutUnreturned(kind, this.withLocation(view, kind, request.base)),
          list.attributes,
          list.excludedAttributes,
        ),
      );
    }
    return {
      status: 200,
      body: {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: page.totalResults,
        itemsPerPage: resources.length,
        startIndex: list.startIndex,
        Resources: resources,
      },
    };
  }

  async get(kind: ResourceKind, id: string, request: ScimRequest): Promise<ScimResponse> {
    const view = await this.read(kind, id);
    const etag = view.meta?.version;
    if (notModified(request.ifNoneMatch, etag)) return { status: 304, headers: etag ? { ETag: etag } : {} };
    return this.answer(200, kind, view, request);
  }

  async create(kind: ResourceKind, body: unknown, request: ScimRequest): Promise<ScimResponse> {
    const { resource, password } = validateResource(body, kind, this.schemas);
    await assertUniqueExtensionValues(this.options.store, this.schemas, kind, resource);
    const result =
      kind === 'User'
        ? await this.options.identities.createUser(
            { ...(resource as unknown as ScimUser), ...(password ? { password } : {}) },
            { actor: request.actor },
          )
        : await this.options.identities.createGroup(resource as unknown as ScimGroup, { actor: request.actor });
    return this.written(201, kind, result, request);
  }

  async replace(kind: ResourceKind, id: string, body: unknown, request: ScimRequest): Promise<ScimResponse> {
    const previous = this.schemas.extensionsOf(kind).length > 0 ? await this.read(kind, id) : undefined;
    const { resource, password } = validateResource(body, kind, this.schemas, previous);
    await assertUniqueExtensionValues(this.options.store, this.schemas, kind, resource, id);
    const options = { actor: request.actor, expectedVersion: expectedVersion(request.ifMatch) };
    const result =
      kind === 'User'
        ? await this.options.identities.replaceUser(
            id,
            { ...(resource as unknown as ScimUser), ...(password ? { password } : {}) },
            options,
          )
        : await this.options.identities.replaceGroup(id, resource as unknown as ScimGroup, options);
    return this.written(200, kind, result, request);
  }

  async patch(kind: ResourceKind, id: string, body: unknown, request: ScimRequest): Promise<ScimResponse> {
    return this.patchWith(kind, id, readPatchRequest(body), request);
  }

  /**
   * Read, apply, write in core's read-modify-write (one read per attempt). With
   * If-Match a stale version is 412; without it a concurrent change is not the
   * client's problem: core re-reads and re-applies the operations. A Group PATCH
   * that only adds and removes members by value, answered 204, is a membership
   * delta: it costs the same however many members the group has.
   */
  async patchWith(kind: ResourceKind, id: string, operations: readonly PatchOperation[], request: ScimRequest): Promise<ScimResponse> {
    const options = { actor: request.actor, expectedVersion: expectedVersion(request.ifMatch) };
    // Users: 200 with the resource (RFC 7644 §3.5.2's first branch; Okta reads it). A membership-only
    // Group PATCH keeps 204 (what Entra's and Okta's group push expect; a big group is not echoed back).
    const representation =
      kind === 'User' ||
      !operations.every(touchesOnlyMembers) ||
      request.wantRepresentation ||
      attributeList(request.params?.attributes, 'attributes') ||
      attributeList(request.params?.excludedAttributes, 'excludedAttributes');
    const delta = representation ? undefined : membersDeltaOf(operations, this.schemas);
    const result = delta
      ? await this.options.identities.changeGroupMembers(id, delta, options)
      : await this.patchWhole(kind, id, operations, options);
    if (representation || result.blockingFailures.length > 0) return this.written(200, kind, result, request);
    const etag = (result.resource as unknown as Resource).meta?.version;
    return { status: 204, headers: etag ? { ETag: etag } : {} };
  }

  /** The PATCH applied to the whole resource as read (every attempt re-reads it). */
  private async patchWhole(
    kind: ResourceKind,
    id: string,
    operations: readonly PatchOperation[],
    options: { actor: string; expectedVersion?: number },
  ): Promise<WriteResult<unknown>> {
    const apply = (current: Resource) => {
      const { id: _id, meta: _meta, groups: _groups, ...document } = current;
      return validateResource(applyPatch(document, operations, kind, this.schemas), kind, this.schemas, current);
    };
    // Unique extension values are checked on the current resource first (the write re-applies on a concurrent change).
    if (this.schemas.extensionsOf(kind).some((e) => e.attributes.some((a) => a.uniqueness !== undefined)))
      await assertUniqueExtensionValues(this.options.store, this.schemas, kind, apply(await this.read(kind, id)).resource, id);
    return kind === 'User'
      ? await this.options.identities.patchUser(
          id,
          (current) => {
            const { resource, password } = apply(current as unknown as Resource);
            return { ...(resource as unknown as ScimUser), ...(password ? { password } : {}) };
          },
          options,
        )
      : await this.options.identities.patchGroup(
          id,
          (current) => apply(current as unknown as Resource).resource as unknown as ScimGroup,
          options,
        );
  }

  async delete(kind: ResourceKind, id: string, request: ScimRequest): Promise<ScimResponse> {
    const options = { actor: request.actor, expectedVersion: expectedVersion(request.ifMatch) };
    const result =
      kind === 'User' ? await this.options.identities.deleteUser(id, options) : await this.options.identities.deleteGroup(id, options);
    if (result.blockingFailures.length > 0) throw blockingError(`${kind} ${id} was deleted here`, result.blockingFailures, {});
    return { status: 204 };
  }

  private async read(kind: ResourceKind, id: string): Promise<Resource> {
    const view = kind === 'User' ? await this.options.identities.getUser(id) : await this.options.identities.getGroup(id);
    if (!view) throw notFound(`${kind} ${id} not found`);
    return view as unknown as Resource;
  }

  private withLocation(view: Resource, kind: ResourceKind, base: string): Resource {
    return { ...view, meta: { ...view.meta, location: `${base}/${endpoint(kind)}/${view.id}` } };
  }

  private answer(
    status: number,
    kind: ResourceKind,
    view: Resource,
    request: ScimRequest,
    extra: Record<string, string> = {},
  ): ScimResponse {
    const located = this.withLocation(view, kind, request.base);
    const params = request.params ?? {};
    const body = project(
      this.schemas.withoutUnreturned(kind, located),
      attributeList(params.attributes, 'attributes'),
      attributeList(params.excludedAttributes, 'excludedAttributes'),
    );
    const etag = located.meta?.version;
    return { status, body, headers: { ...(etag ? { ETag: etag } : {}), ...extra } };
  }

  private written(status: number, kind: ResourceKind, result: WriteResult<unknown>, request: ScimRequest): ScimResponse {
    const view = result.resource as unknown as Resource;
    const location = `${request.base}/${endpoint(kind)}/${view.id}`;
    const headers: Record<string, string> = status === 201 ? { Location: location } : {};
    if (result.blockingFailures.length > 0) {
      if (view.meta?.version) headers.ETag = view.meta.version;
      throw blockingError(`${kind} ${view.id} was stored here (${location})`, result.blockingFailures, headers);
    }
    return this.answer(status, kind, view, request, headers);
  }
}

/** `members`, `members[value eq "…"]`, or a value object that holds only `members`. */
function touchesOnlyMembers(operation: PatchOperation): boolean {
  if (operation.path !== undefined) return /^members(\[|$|\.)/i.test(operation.path.trim());
  return isPlainObject(operation.value) && Object.keys(operation.value).every((key) => key.toLowerCase() === 'members');
}

/**
 * A blocking connector failed: 502 Bad Gateway (the failure is upstream). The local
 * write is kept and its jobs stay retryable (admin API); see README.
 */
function blockingError(
  what: string,
  failures: readonly { instanceId: string; error: string }[],
  headers: Record<string, string>,
): ScimError {
  const list = failures.map((f) => `${f.instanceId}: ${f.error}`).join('; ');
  return new ScimError(
    502,
    undefined,
    `${what}, but blocking connector(s) did not provision it: ${list}. The change is kept and will be retried.`,
    headers,
  );
}

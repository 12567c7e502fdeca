import type { ScimConfig } from './scim-config.js';
import { asObject, type ScimDialect } from './scim-dialect.js';
import type { ScimSession } from './scim-session.js';

/** What the target says it supports (RFC 7643 §5), with our config's overrides applied. */
export interface ScimFeatures {
  patch: boolean;
  /** PATCH values of multi-valued attributes by value-filtered paths (SCIM 2.0); else full-value replace. */
  valueFilters: boolean;
  bulk: boolean;
  maxOperations: number;
  maxPayloadSize: number;
  /** filter.maxResults: the most resources the service returns per list request, when it says. */
  maxResults?: number;
  /** False when the service has no ServiceProviderConfig (404): features are then assumed off. */
  advertised: boolean;
}

/** Reads the ServiceProviderConfig once per connector; a PATCH or Bulk refusal corrects it. */
export class ServiceConfigCache {
  private features: Promise<ScimFeatures> | undefined;
  private patchRefused = false;
  private bulkRefused = false;
  private filtersRefused = false;

  constructor(
    private readonly session: ScimSession,
    private readonly dialect: ScimDialect,
    private readonly config: Pick<ScimConfig, 'patch' | 'bulk' | 'patchFilters'>,
    private readonly url: string,
  ) {}

  async get(): Promise<ScimFeatures> {
    // A failed read is not cached: the next operation tries again.
    this.features ??= this.read().catch((error: unknown) => {
      this.features = undefined;
      throw error;
    });
    const features = await this.features;
    return {
      ...features,
      patch: this.config.patch === 'always' || (this.config.patch === 'auto' && features.patch && !this.patchRefused),
      bulk: this.config.bulk === 'auto' && this.dialect.bulk && features.bulk && !this.bulkRefused,
      valueFilters: this.config.patchFilters === 'auto' && features.valueFilters && !this.filtersRefused,
    };
  }

  /** Whether to PATCH; reads the ServiceProviderConfig only in "auto" mode. */
  async usePatch(): Promise<boolean> {
    if (this.config.patch !== 'auto') return this.config.patch === 'always';
    return (await this.get()).patch;
  }

  /** Whether a PATCH may address values by filtered paths; reads the ServiceProviderConfig only in "auto" mode. */
  async valueFilters(): Promise<boolean> {
    if (this.config.patchFilters === 'never' || this.filtersRefused) return false;
    return (await this.get()).valueFilters;
  }

  /** Fresh read, for check(). */
  async refresh(): Promise<ScimFeatures> {
    this.features = undefined;
    return this.get();
  }

  /** The service answered PATCH with 501/405 although it advertised it. */
  patchWasRefused(): void {
    if (this.config.patch !== 'always') this.patchRefused = true;
  }

  bulkWasRefused(): void {
    this.bulkRefused = true;
  }

  /** The service answered a PATCH with a value-filtered path 400 invalidPath/invalidFilter: replace whole attributes from now on. */
  valueFiltersWereRefused(): void {
    this.filtersRefused = true;
  }

  private async read(): Promise<ScimFeatures> {
    const response = await this.session.expectOk({ method: 'GET', url: this.url, operation: 'read' }, [404]);
    if (response.status === 404)
      return { patch: false, valueFilters: true, bulk: false, maxOperations: 0, maxPayloadSize: 0, advertised: false };
    const body = asObject(response.body) ?? {};
    const patch = asObject(body['patch']);
    const bulk = asObject(body['bulk']);
    const filter = asObject(body['filter']);
    const positive = (v: unknown, fallback: number) => (typeof v === 'number' && v > 0 ? v : fallback);
    return {
      patch: patch?.['supported'] === true,
      // Value filters in PATCH paths are filter syntax (RFC 7644 §3.5.2): a service without filtering has none.
      valueFilters: filter?.['supported'] !== false,
      bulk: bulk?.['supported'] === true,
      maxOperations: positive(bulk?.['maxOperations'], 1),
      maxPayloadSize: positive(bulk?.['maxPayloadSize'], 1_048_576),
      ...(typeof filter?.['maxResults'] === 'number' && filter['maxResults'] > 0 ? { maxResults: Math.floor(filter['maxResults']) } : {}),
      advertised: true,
    };
  }
}

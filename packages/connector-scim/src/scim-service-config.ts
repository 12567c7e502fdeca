import type { ScimConfig } from './scim-config.js';
import { asObject, type ScimDialect } from './scim-dialect.js';
import type { ScimSession } from './scim-session.js';

/** What the target says it supports (RFC 7643 §5), with our config's overrides applied. */
export interface ScimFeatures {
  patch: boolean;
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

  constructor(
    private readonly session: ScimSession,
    private readonly dialect: ScimDialect,
    private readonly config: Pick<ScimConfig, 'patch' | 'bulk'>,
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
    };
  }

  /** Whether to PATCH; reads the ServiceProviderConfig only in "auto" mode. */
  async usePatch(): Promise<boolean> {
    if (this.config.patch !== 'auto') return this.config.patch === 'always';
    return (await this.get()).patch;
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

  private async read(): Promise<ScimFeatures> {
    const response = await this.session.expectOk({ method: 'GET', url: this.url, operation: 'read' }, [404]);
    if (response.status === 404) return { patch: false, bulk: false, maxOperations: 0, maxPayloadSize: 0, advertised: false };
    const body = asObject(response.body) ?? {};
    const patch = asObject(body['patch']);
    const bulk = asObject(body['bulk']);
    const filter = asObject(body['filter']);
    const positive = (v: unknown, fallback: number) => (typeof v === 'number' && v > 0 ? v : fallback);
    return {
      patch: patch?.['supported'] === true,
      bulk: bulk?.['supported'] === true,
      maxOperations: positive(bulk?.['maxOperations'], 1),
      maxPayloadSize: positive(bulk?.['maxPayloadSize'], 1_048_576),
      ...(typeof filter?.['maxResults'] === 'number' && filter['maxResults'] > 0 ? { maxResults: Math.floor(filter['maxResults']) } : {}),
      advertised: true,
    };
  }
}

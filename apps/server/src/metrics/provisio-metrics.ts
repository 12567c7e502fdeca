import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthReport } from '@provisio/core';
import type { ConnectorCall, ConnectorObserver, ProvisioningRuntime, StatusCounts, Store } from '@provisio/core/engine';
import { routeTemplate } from '../http/route-template.js';
import { ScrapeCache } from './scrape-cache.js';

/** How long a scrape reuses what it read from the store (job counts, store size). */
const STORE_READ_TTL_MS = 5000;

/** Seconds; from one fast local call to a slow remote API. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds from accepted to delivered: includes queueing, rate limits and retries. */
const DELIVERY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

export interface MetricsDeps {
  store: Store;
  /** The connector instances of the running configuration (a reload changes them). */
  instanceIds: () => string[];
}

/**
 * The server's Prometheus metrics (`GET /metrics`), on a registry of its own: HTTP
 * requests, jobs, remote calls, rate-limit waits, store size and process metrics.
 * Job counts and store size are read from the store at scrape time, cached briefly.
 */
export class ProvisioMetrics {
  readonly registry = new Registry();
  /** The last check() of each connector instance, for /readyz. */
  readonly lastChecks = new Map<string, HealthReport & { at: number }>();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  private readonly jobOutcomes: Counter<'connector' | 'outcome'>;
  private readonly deliverySeconds: Histogram<'connector'>;
  private readonly remoteCalls: Counter<'connector' | 'operation' | 'outcome'>;
  private readonly remoteSeconds: Histogram<'connector' | 'operation' | 'outcome'>;
  private readonly rateLimitWaits: Counter<'connector' | 'cause'>;
  private readonly rateLimitWaitSeconds: Counter<'connector' | 'cause'>;

  constructor(deps: MetricsDeps) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'provisio_' });
    const counter = <L extends string>(name: string, labelNames: readonly L[], help: string) =>
      new Counter<L>({ name, help, labelNames, registers });
    const histogram = <L extends string>(name: string, labelNames: readonly L[], buckets: number[], help: string) =>
      new Histogram<L>({ name, help, labelNames, buckets, registers });
    const httpLabels = ['method', 'route', 'status'] as const;
    this.requests = counter(
      'provisio_http_requests_total',
      httpLabels,
      'HTTP requests answered (SCIM, admin, health), by route template, method and status',
    );
    this.requestSeconds = histogram(
      'provisio_http_request_duration_seconds',
      httpLabels,
      LATENCY_BUCKETS,
      'Time to answer an HTTP request, by route template, method and status',
    );
    const jobCounts = new ScrapeCache(STORE_READ_TTL_MS, async () => {
      const counts = new Map<string, StatusCounts>();
      for (const id of deps.instanceIds()) counts.set(id, await deps.store.jobCounts(id));
      return counts;
    });
    new Gauge({
      name: 'provisio_jobs',
      // Every status the store reports becomes a series, so states added later (held, quarantined) show without a change here.
      help: 'Jobs in the store by connector instance and status (read at scrape time, cached 5 s)',
      labelNames: ['connector', 'status'],
      registers,
      async collect() {
        this.reset();
        // A store that cannot be read leaves the series out; the rest of the scrape still answers (and /readyz says why).
        const counts = await jobCounts.get().catch(() => new Map<string, StatusCounts>());
        for (const [connector, byStatus] of counts)
          for (const [status, count] of Object.entries(byStatus)) this.set({ connector, status }, count);
      },
    });
    const storeBytes = new ScrapeCache(STORE_READ_TTL_MS, async () => (deps.store.storageBytes ? deps.store.storageBytes() : undefined));
    new Gauge({
      name: 'provisio_store_bytes',
      help: 'Bytes the store takes (SQLite: the database file; PostgreSQL: tables and indexes of its schemas)',
      registers,
      async collect() {
        this.reset();
        const bytes = await storeBytes.get().catch(() => undefined);
        if (bytes !== undefined) this.set(bytes);
      },
    });
    this.jobOutcomes = counter(
      'provisio_job_outcomes_total',
      ['connector', 'outcome'],
      'Job attempts finished by this process, by connector instance and outcome (succeeded, retry, failed)',
    );
    this.deliverySeconds = histogram(
      'provisio_job_delivery_seconds',
      ['connector'],
      DELIVERY_BUCKETS,
      'Time from a change accepted (job planned) to the target updated (job succeeded)',
    );
    const remoteLabels = ['connector', 'operation', 'outcome'] as const;
    this.remoteCalls = counter(
      'provisio_remote_calls_total',
      remoteLabels,
      'Calls to connector targets, by connector instance, operation and outcome (ok, transient, permanent, conflict)',
    );
    this.remoteSeconds = histogram(
      'provisio_remote_call_duration_seconds',
      remoteLabels,
      LATENCY_BUCKETS,
      'Time of calls to connector targets, by connector instance, operation and outcome',
    );
    const waitLabels = ['connector', 'cause'] as const;
    this.rateLimitWaits = counter(
      'provisio_rate_limit_waits_total',
      waitLabels,
      "Times the worker held a target's calls back: its rate limit had no tokens, or it answered Retry-After",
    );
    this.rateLimitWaitSeconds = counter(
      'provisio_rate_limit_wait_seconds_total',
      waitLabels,
      'Seconds the holds above announced (Retry-After, or the rate limit estimate)',
    );
  }

  /** Times every request and counts it when its response is finished. */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const stop = this.requestSeconds.startTimer();
      res.once('finish', () => {
        const labels = { method: req.method, route: routeTemplate(req), status: String(res.statusCode) };
        this.requests.inc(labels);
        stop(labels);
      });
      next();
    };
  }

  /** Counts what the connectors' calls do (bound as the container's ConnectorObserver). */
  readonly connectorObserver: ConnectorObserver = {
    callFinished: (call: ConnectorCall) => {
      const labels = { connector: call.instanceId, operation: call.operation, outcome: call.outcome };
      this.remoteCalls.inc(labels);
      this.remoteSeconds.observe(labels, call.durationMs / 1000);
    },
    checked: (instanceId, report, at) => {
      this.lastChecks.set(instanceId, { ...report, at });
    },
  };

  /** Follows one configuration's pipeline; returns the unsubscribe (a reload replaces the runtime). */
  watch(runtime: ProvisioningRuntime): () => void {
    const offFinished = runtime.events.onJobFinished(({ job, outcome }) => {
      this.jobOutcomes.inc({ connector: job.instanceId, outcome });
      const accepted = Date.parse(job.createdAt);
      if (outcome === 'succeeded' && Number.isFinite(accepted))
        this.deliverySeconds.observe({ connector: job.instanceId }, Math.max(0, Date.now() - accepted) / 1000);
    });
    const offWaits = runtime.events.onRateLimitWait(({ instanceId, cause, waitMs }) => {
      this.rateLimitWaits.inc({ connector: instanceId, cause });
      this.rateLimitWaitSeconds.inc({ connector: instanceId, cause }, Math.max(0, waitMs) / 1000);
    });
    return () => {
      offFinished();
      offWaits();
    };
  }

  /** The text exposition format, with its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

import { randomBytes } from 'node:crypto';
import {
  ConflictError,
  defineConnector,
  PermanentError,
  RemoteNotFoundError,
  silentLogger,
  systemClock,
  throwIfRemoteCallAborted,
  TransientError,
  z,
  type BatchOutcome,
  type OutboundConnector,
  type RemoteCallOptions,
  type RemotePage,
  type RemoteRef,
  type RemoteUser,
  type RemoteGroup,
} from '../src/index.js';
import {
  ConnectorInstances,
  connectorInstanceSchema,
  NotificationDispatcher,
  PasswordSealer,
  ProvisioningRuntime,
  type ConnectorInstanceConfig,
  type Store,
} from '../src/engine.js';
import { InMemoryStore } from '../src/testing.js';

/** A fake remote directory for pipeline tests: records calls; failures are scripted per call kind. */
export class RecordingTarget {
  readonly calls: { op: string; args: Record<string, unknown> }[] = [];
  readonly users = new Map<string, { name?: string; attributes: Record<string, unknown>; active: boolean; password?: string }>();
  readonly groups = new Map<string, { name: string; members: Set<string> }>();
  /** Queued failures, consumed one per call of that operation. */
  readonly failures: Record<string, Error[]> = {};
  private seq = 0;
  /** The batching connector reports each operation's outcome as it lands (provisionBatch's `report`). */
  reportsEachOutcome = false;
  /** Awaited before each createUser reaches the directory: a test can hold a call in flight. */
  beforeCreate?: () => Promise<void>;
  /** Accounts per page of listUsers. */
  pageSize = 3;

  /** An account that exists in the target before Provisio (an estate being adopted). */
  seed(name: string, attributes: Record<string, unknown>, active = true): string {
    const id = `r${++this.seq}`;
    this.users.set(id, { name, attributes: { ...attributes }, active });
    return id;
  }

  private async *listUsers(): AsyncIterable<RemotePage<RemoteUser>> {
    yield* this.pages('listUsers', [...this.users.entries()], ([remoteId, u]) => ({
      remoteId,
      remoteName: u.name,
      active: u.active,
      attributes: { ...u.attributes },
    }));
  }

  private async *listGroups(): AsyncIterable<RemotePage<RemoteGroup>> {
    yield* this.pages('listGroups', [...this.groups.entries()], ([remoteId, g]) => ({
      remoteId,
      remoteName: g.name,
      attributes: {},
      memberRemoteIds: [...g.members],
    }));
  }

  /** `all` as pages of `pageSize` items, each page recorded as one `op` call when it is read. */
  private async *pages<E, T>(op: string, all: E[], item: (entry: E) => T): AsyncIterable<RemotePage<T>> {
    for (let start = 0; start < all.length; start += this.pageSize) {
      this.step(op, { start }, undefined);
      yield { items: all.slice(start, start + this.pageSize).map(item), totalHint: all.length };
    }
  }

  failNext(op: string, ...errors: Error[]): void {
    (this.failures[op] ??= []).push(...errors);
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  /** One call reaching the directory; like a real client, none is sent once its lease deadline passed. */
  private step(op: string, args: Record<string, unknown>, call: RemoteCallOptions | undefined): void {
    throwIfRemoteCallAborted(call?.signal);
    this.calls.push({ op, args });
    const failure = this.failures[op]?.shift();
    if (failure) throw failure;
  }

  connector(): OutboundConnector {
    return {
      createUser: async (p, call): Promise<RemoteRef> => {
        await this.beforeCreate?.();
        this.step('createUser', { ...p }, call);
        const clash = [...this.users.entries()].find(([, u]) => u.name !== undefined && u.name === p.accountName);
        if (clash) throw new ConflictError(`account ${p.accountName} exists`);
        const id = `r${++this.seq}`;
        this.users.set(id, { name: p.accountName, attributes: { ...p.attributes }, active: true, password: p.password });
        return { remoteId: id, remoteName: p.accountName };
      },
      updateUser: async (u, call) => {
        this.step('updateUser', { ...u }, call);
        const user = this.users.get(u.remoteId);
        if (!user) throw new RemoteNotFoundError(`no account ${u.remoteId}`);
        Object.assign(user.attributes, u.changed);
        if (u.reactivate) user.active = true;
        if (u.password) user.password = u.password;
      },
      deleteUser: async (d, call) => {
        this.step('deleteUser', { ...d }, call);
        if (d.mode === 'delete') {
          this.users.delete(d.remoteId);
          return { mode: 'deleted' as const };
        }
        const user = this.users.get(d.remoteId);
        if (user) user.active = false;
        return { mode: 'deactivated' as const };
      },
      findUser: async (l, call) => {
        this.step('findUser', { ...l }, call);
        const found = [...this.users.entries()].find(([, u]) => u.name !== undefined && u.name === l.accountName);
        return found ? { remoteId: found[0], remoteName: found[1].name } : null;
      },
      createGroup: async (p, call) => {
        this.step('createGroup', { ...p }, call);
        const id = `g${++this.seq}`;
        this.groups.set(id, { name: p.group.displayName, members: new Set() });
        return { remoteId: id, remoteName: p.group.displayName };
      },
      updateGroup: async (u, call) => {
        this.step('updateGroup', { ...u }, call);
      },
      deleteGroup: async (d, call) => {
        this.step('deleteGroup', { ...d }, call);
        this.groups.delete(d.remoteId);
      },
      findGroup: async (l, call) => {
        this.step('findGroup', { ...l }, call);
        const found = [...this.groups.entries()].find(([, g]) => g.name === l.displayName);
        return found ? { remoteId: found[0] } : null;
      },
      addMembers: async (c, call) => {
        this.step('addMembers', { ...c }, call);
        for (const m of c.memberRemoteIds) this.groups.get(c.groupRemoteId)?.members.add(m);
      },
      removeMembers: async (c, call) => {
        this.step('removeMembers', { ...c }, call);
        for (const m of c.memberRemoteIds) this.groups.get(c.groupRemoteId)?.members.delete(m);
      },
      listUsers: () => this.listUsers(),
      listGroups: () => this.listGroups(),
      getGroup: async (remoteId) => {
        const g = this.groups.get(remoteId);
        return g ? { remoteId, remoteName: g.name, attributes: {}, memberRemoteIds: [...g.members] } : null;
      },
      getUser: async (remoteId) => {
        const u = this.users.get(remoteId);
        return u ? { remoteId, remoteName: u.name, active: u.active, attributes: { ...u.attributes } } : null;
      },
      check: async () => ({ ok: true, message: 'ok' }),
      close: async () => undefined,
    };
  }

  /** The same target with a batch API: one call carries many operations, each with its own outcome. */
  batchingConnector(): OutboundConnector {
    const single = this.connector();
    return {
      ...single,
      provisionBatch: async (operations, report, call) => {
        this.calls.push({ op: 'provisionBatch', args: { size: operations.length } });
        const outcomes: BatchOutcome[] = [];
        const settle = async (outcome: BatchOutcome) => {
          outcomes.push(outcome);
          // Like a target without a batch API driven one call at a time: each outcome reported as it lands.
          if (this.reportsEachOutcome) await report?.(outcome);
        };
        for (const operation of operations) {
          const failure = this.failures[`batch:${operation.kind}`]?.shift();
          if (failure) {
            await settle({ jobId: operation.jobId, ok: false, error: failure });
            continue;
          }
          try {
            if (operation.kind === 'createUser')
              await settle({ jobId: operation.jobId, ok: true, ref: await single.createUser(operation.payload, call) });
            else if (operation.kind === 'updateUser')
              await settle({ jobId: operation.jobId, ok: true, ref: (await single.updateUser(operation.payload, call)) ?? undefined });
            else
              await settle({ jobId: operation.jobId, ok: true, deletion: (await single.deleteUser(operation.payload, call)) ?? undefined });
          } catch (error) {
            await settle({ jobId: operation.jobId, ok: false, error: error as Error });
          }
        }
        return outcomes;
      },
    };
  }
}

export const transient = (message = '503 Service Unavailable', retryAfterMs?: number) => new TransientError(message, { retryAfterMs });
export const permanent = (message: string) => new PermanentError(message);

export interface PipelineFixture {
  runtime: ProvisioningRuntime;
  store: Store;
  targets: Record<string, RecordingTarget>;
  /** Resolves once no job is pending or running (bounded). */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A runtime on the in-memory store with one recording target per instance setting. */
export async function pipelineFixture(
  instances: Partial<ConnectorInstanceConfig>[],
  options: {
    store?: Store;
    runWorker?: boolean;
    batchSize?: number;
    eachOperationCounts?: boolean;
    notifications?: NotificationDispatcher;
  } = {},
): Promise<PipelineFixture> {
  const targets: Record<string, RecordingTarget> = {};
  const definition = defineConnector({
    type: 'recording',
    displayName: 'Recording target',
    configSchema: z.object({}),
    secretFields: [],
    capabilities: {
      users: true,
      groups: true,
      passwords: true,
      ...(options.batchSize ? { batch: { maxOperations: options.batchSize, eachOperationCounts: options.eachOperationCounts } } : {}),
      read: { groups: true },
    },
    matching: { defaults: [{ remote: 'userName' }], caseInsensitive: true },
    create: (_config, ctx) => {
      const target = (targets[ctx.instanceId] ??= new RecordingTarget());
      return options.batchSize ? target.batchingConnector() : target.connector();
    },
  });
  const settings = instances.map((i) =>
    connectorInstanceSchema.parse({ type: 'recording', retry: { maxAttempts: 4, baseDelayMs: 2, maxDelayMs: 20 }, ...i }),
  );
  const lookup = {
    get: (type: string) => (type === 'recording' ? definition : undefined),
    list: () => [{ type: 'recording', displayName: 'Recording target', plugin: 'test' }],
  };
  const manifest = { connectors: settings } as unknown as Parameters<typeof ConnectorInstances.open>[0];
  const connectorInstances = await ConnectorInstances.open(manifest, lookup, { logger: silentLogger(), clock: systemClock });
  const store = options.store ?? new InMemoryStore();
  const runtime = new ProvisioningRuntime({
    store,
    instances: connectorInstances,
    sealer: new PasswordSealer(randomBytes(32)),
    clock: systemClock,
    logger: silentLogger(),
    runWorker: options.runWorker,
    worker: { idlePollMs: 20 },
    notifications: options.notifications,
  });
  await runtime.start();
  return {
    runtime,
    store,
    targets,
    async settle(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const counts = await store.jobCounts();
        if (counts.pending === 0 && counts.running === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`jobs did not settle within ${timeoutMs} ms: ${JSON.stringify(await store.jobCounts())}`);
    },
    async stop() {
      await runtime.stop();
      await connectorInstances.closeAll();
    },
  };
}

/**
 * `pipelineFixture` for a spec file: every fixture it starts is stopped after its test.
 * Call once at the top of the file.
 */
export function pipelineFixturePerTest(): typeof pipelineFixture {
  const started: PipelineFixture[] = [];
  afterEach(async () => {
    for (const fixture of started.splice(0)) await fixture.stop();
  });
  return async (...args) => {
    const fixture = await pipelineFixture(...args);
    started.push(fixture);
    return fixture;
  };
}

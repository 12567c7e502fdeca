import { randomBytes } from 'node:crypto';
import { Container, ContainerModule } from 'inversify';
import { systemClock } from '../clock.js';
import { silentLogger } from '../logging/logger.js';
import { manifestSchema } from '../manifest/manifest-schema.js';
import { PasswordSealer } from '../security/passwords.js';
import { InMemoryStore } from '../store/in-memory-store.js';
import { provisioningModule } from './provisioning-module.js';
import { z } from 'zod';
import { defineConnector } from '../connector/define-connector.js';
import type { OutboundConnector } from '../connector/outbound-connector.js';
import { definePlugin, isProvisioPlugin } from '../plugin/define-plugin.js';
import { buildContainer } from './container-builder.js';
import { asServiceId, token, TOKENS } from './tokens.js';
import { declaredConnector } from '../../test/declared-connector.js';

const connector = (type: string) => declaredConnector(type, type.toUpperCase());

describe('buildContainer', () => {
  it('gathers the connector types of every plugin through multi-injection', () => {
    const container = buildContainer({
      plugins: [
        definePlugin({ name: 'p1', connectors: [connector('alpha'), connector('beta')] }),
        definePlugin({ name: 'p2', connectors: [connector('gamma')] }),
      ],
    });
    const registry = container.get(asServiceId(TOKENS.ConnectorTypeRegistry));
    expect(registry.list()).toEqual([
      { type: 'alpha', displayName: 'ALPHA', plugin: 'p1' },
      { type: 'beta', displayName: 'BETA', plugin: 'p1' },
      { type: 'gamma', displayName: 'GAMMA', plugin: 'p2' },
    ]);
    expect(container.getAll(asServiceId(TOKENS.Plugin)).map((p) => p.name)).toEqual(['p1', 'p2']);
  });

  it('builds with no plugins (multi-injection of nothing is empty)', () => {
    expect(buildContainer({ plugins: [] }).get(asServiceId(TOKENS.ConnectorTypeRegistry)).types()).toEqual([]);
  });

  it('refuses two plugins contributing the same type, naming both', () => {
    expect(() =>
      buildContainer({
        plugins: [
          definePlugin({ name: 'p1', connectors: [connector('alpha')] }),
          definePlugin({ name: 'p2', connectors: [connector('alpha')] }),
        ],
      }),
    ).toThrow('connector type "alpha" is contributed by both "p1" and "p2"');
  });

  it('refuses the same plugin twice', () => {
    const plugin = definePlugin({ name: 'p1', connectors: [] });
    expect(() => buildContainer({ plugins: [plugin, plugin] })).toThrow('plugin "p1" is loaded twice');
  });

  it("loads a plugin's own ContainerModule", () => {
    const greeting = token<string>('test.greeting');
    const plugin = definePlugin({
      name: 'with-module',
      connectors: [],
      containerModule: new ContainerModule(({ bind }) => {
        bind(asServiceId(greeting)).toConstantValue('hello');
      }),
    });
    expect(buildContainer({ plugins: [plugin] }).get(asServiceId(greeting))).toBe('hello');
  });
});

describe('extension points', () => {
  it('are empty when no plugin contributes to them', () => {
    const container = buildContainer({ plugins: [definePlugin({ name: 'p1', connectors: [] })] });
    expect(container.getAll(asServiceId(TOKENS.ExpressionFunction), { optional: true })).toEqual([]);
    expect(container.getAll(asServiceId(TOKENS.NotificationChannel), { optional: true })).toEqual([]);
    expect(container.getAll(asServiceId(TOKENS.PluginRoute), { optional: true })).toEqual([]);
    expect(container.get(asServiceId(TOKENS.ExpressionFunctions)).names()).toEqual([]);
  });

  it('gather what plugins bind in their ContainerModules', () => {
    const plugin = (name: string, fn: string) =>
      definePlugin({
        name,
        connectors: [],
        containerModule: new ContainerModule(({ bind }) => {
          bind(asServiceId(TOKENS.ExpressionFunction)).toConstantValue({ name: fn, apply: () => fn });
          bind(asServiceId(TOKENS.NotificationChannel)).toConstantValue({ name: `${name}-pager`, send: async () => undefined });
          bind(asServiceId(TOKENS.PluginRoute)).toConstantValue({ plugin: name, router: (_req, _res, next) => next() });
        }),
      });
    const container = buildContainer({ plugins: [plugin('p1', 'initials'), plugin('p2', 'slug')] });
    expect(container.get(asServiceId(TOKENS.ExpressionFunctions)).names()).toEqual(['initials', 'slug']);
    expect(container.getAll(asServiceId(TOKENS.NotificationChannel)).map((c) => c.name)).toEqual(['p1-pager', 'p2-pager']);
    expect(container.getAll(asServiceId(TOKENS.PluginRoute)).map((r) => r.plugin)).toEqual(['p1', 'p2']);
  });

  it('refuse, when the container is built, an expression function that shadows a built-in', () => {
    const plugin = definePlugin({
      name: 'p1',
      connectors: [],
      containerModule: new ContainerModule(({ bind }) => {
        bind(asServiceId(TOKENS.ExpressionFunction)).toConstantValue({ name: 'concat', apply: () => '' });
      }),
    });
    expect(() => buildContainer({ plugins: [plugin] })).toThrow('expression function "concat" would shadow the built-in of that name');
  });
});

describe('provisioningModule', () => {
  /** A server container (store, sealer, logger, clock) with one generation beneath it, as apps/server composes them. */
  function generation(options: { runWorker: boolean }) {
    const store = new InMemoryStore();
    const server = new Container({ defaultScope: 'Singleton' });
    server.bind(asServiceId(TOKENS.Store)).toConstantValue(store);
    server.bind(asServiceId(TOKENS.PasswordSealer)).toConstantValue(new PasswordSealer(randomBytes(32)));
    server.bind(asServiceId(TOKENS.Logger)).toConstantValue(silentLogger());
    server.bind(asServiceId(TOKENS.Clock)).toConstantValue(systemClock);
    const manifest = manifestSchema.parse({
      connectors: [{ id: 'one', type: 'alpha', mapping: { login: { from: 'userName', transform: 'shout' } } }],
    });
    const shout = new ContainerModule(({ bind }) => {
      bind(asServiceId(TOKENS.ExpressionFunction)).toConstantValue({ name: 'shout', apply: ([v]) => `${String(v)}!` });
    });
    const alpha = declaredConnector('alpha', 'Alpha', {
      create: (): OutboundConnector =>
        ({
          createUser: async () => ({ remoteId: 'r' }),
          updateUser: async () => undefined,
          deleteUser: async () => undefined,
          findUser: async () => null,
          check: async () => ({ ok: true }),
          close: async () => undefined,
        }) as unknown as OutboundConnector,
    });
    const child = buildContainer({
      parent: server,
      plugins: [definePlugin({ name: 'p1', connectors: [alpha], containerModule: shout })],
      modules: [
        new ContainerModule(({ bind }) => {
          bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifest);
        }),
        provisioningModule(options),
      ],
    });
    return { store, child };
  }

  it("builds one configuration's runtime from the server's store and the generation's plugins", async () => {
    const { store, child } = generation({ runWorker: true });
    const runtime = await child.getAsync(asServiceId(TOKENS.ProvisioningRuntime));
    expect(runtime.options.store).toBe(store);
    expect(runtime.worker).toBeDefined();
    expect(runtime.targets.map((t) => t.id)).toEqual(['one']);
    // The plugin's expression function reached the instance's mapping.
    expect(runtime.target('one')?.mapUser({ userName: 'ada', schemas: [] } as never)).toEqual({ login: 'ada!' });
    expect(await child.getAsync(asServiceId(TOKENS.IdentityService))).toBe(runtime.identities);
    expect(await child.getAsync(asServiceId(TOKENS.ConnectorInstances))).toBe(runtime.options.instances);
  });

  it('builds no worker for --role api', async () => {
    const { child } = generation({ runWorker: false });
    expect((await child.getAsync(asServiceId(TOKENS.ProvisioningRuntime))).worker).toBeUndefined();
  });
});

describe('defineConnector / definePlugin', () => {
  it('rejects secretFields that the config schema does not have', () => {
    expect(() =>
      defineConnector({
        type: 'typo',
        displayName: 'Typo',
        configSchema: z.object({ clientSecret: z.string() }),
        secretFields: ['clientSecrte'],
        capabilities: { users: true, groups: false },
        create: () => {
          throw new Error('unused');
        },
      }),
    ).toThrow('secretFields names "clientSecrte", which its configSchema does not have');
  });

  it('rejects types that are not lowercase identifiers', () => {
    expect(() => connector('Bad Type')).toThrow(/must match/);
  });

  it('tags plugins so that another copy of core recognises them', () => {
    const plugin = definePlugin({ name: 'x', connectors: [] });
    expect(isProvisioPlugin(plugin)).toBe(true);
    expect(isProvisioPlugin({ ...plugin })).toBe(true);
    expect(isProvisioPlugin({ name: 'x', connectors: [] })).toBe(false);
  });
});

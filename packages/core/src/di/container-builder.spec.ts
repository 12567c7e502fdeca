import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { defineConnector } from '../connector/define-connector.js';
import type { OutboundConnector } from '../connector/outbound-connector.js';
import { definePlugin, isProvisioPlugin } from '../plugin/define-plugin.js';
import { buildContainer } from './container-builder.js';
import { asServiceId, token, TOKENS } from './tokens.js';

const connector = (type: string) =>
  defineConnector({
    type,
    displayName: type.toUpperCase(),
    configSchema: z.object({}),
    secretFields: [],
    capabilities: { users: true, groups: false },
    create: (): OutboundConnector => {
      throw new Error('unused');
    },
  });

describe('buildContainer', () => {
  it('gathers the connector types of every plugin through multi-injection', () => {
    const container = buildContainer({
      plugins: [definePlugin({ name: 'p1', connectors: [connector('alpha'), connector('beta')] }), definePlugin({ name: 'p2', connectors: [connector('gamma')] })],
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
      buildContainer({ plugins: [definePlugin({ name: 'p1', connectors: [connector('alpha')] }), definePlugin({ name: 'p2', connectors: [connector('alpha')] })] }),
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

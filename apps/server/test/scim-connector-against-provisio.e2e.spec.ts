import scimPlugin from '@provisio/connector-scim';
import { describeConnectorConformance, type ConformanceFixture } from '@provisio/connector-testkit';
import {
  createConnectorHttp,
  silentLogger,
  systemClock,
  type MappedAttributes,
  type OutboundConnector,
  type UserPayload,
} from '@provisio/core';
import type { RunningServer } from '../src/index.js';
import { startInProcessServer } from './in-process-server.js';

/**
 * Provisio's outbound SCIM connector against Provisio's own SCIM inbound server:
 * two independent implementations of RFC 7644 checking each other. Fault hooks
 * need an emulator, so those cases run against the SCIM emulator in
 * packages/connector-scim; here every case that needs no injected fault runs.
 */
const TOKEN = 'provisio-as-target-token-0123456789';
const scim2 = scimPlugin.connectors.find((c) => c.type === 'scim2');
if (!scim2) throw new Error('scim2 connector type missing');

interface ProvisioTarget extends ConformanceFixture {
  server: RunningServer;
}

async function provisioTarget(deleteMode: 'delete' | 'deactivate'): Promise<ProvisioTarget> {
  const server = await startInProcessServer(
    `server: { port: 0, logLevel: silent }\ninbound: { scim: { auth: { bearer: [{ name: connector, token: "${TOKEN}" }] } } }\n`,
    { prefix: 'provisio-as-target-' },
  );
  const config = scim2!.configSchema.parse({ baseUrl: `${server.url}/scim/v2`, auth: { type: 'bearer', token: TOKEN }, deleteMode });
  const connector = (await scim2!.create(config, {
    instanceId: 'provisio-target',
    logger: silentLogger(),
    clock: systemClock,
    http: createConnectorHttp(),
  })) as OutboundConnector;
  let stopped = false;
  return {
    server,
    connector,
    secrets: [TOKEN],
    teardown: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

function sampleUser(n: number): UserPayload {
  const userName = `target${n}.${process.pid}@example.com`;
  return {
    localId: `local-${n}`,
    user: { userName },
    attributes: {
      userName,
      givenName: 'Ada',
      familyName: `Lovelace${n}`,
      displayName: `Ada Lovelace ${n}`,
      email: userName,
      title: 'Engineer',
      active: true,
    },
    accountName: userName,
  };
}

async function inspectUser(target: ProvisioTarget, id: string): Promise<{ active: boolean; attributes: MappedAttributes } | null> {
  const response = await fetch(`${target.server.url}/scim/v2/Users/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (response.status === 404) return null;
  const user = (await response.json()) as {
    userName: string;
    active?: boolean;
    title?: string;
    displayName?: string;
    name?: { givenName?: string; familyName?: string };
    emails?: { value: string }[];
  };
  return {
    active: user.active !== false,
    attributes: {
      userName: user.userName,
      givenName: user.name?.givenName,
      familyName: user.name?.familyName,
      displayName: user.displayName,
      title: user.title,
      email: user.emails?.[0]?.value,
      active: user.active,
    },
  };
}

async function inspectGroup(target: ProvisioTarget, id: string): Promise<{ name: string; memberRemoteIds: string[] } | null> {
  const response = await fetch(`${target.server.url}/scim/v2/Groups/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (response.status === 404) return null;
  const group = (await response.json()) as { displayName: string; members?: { value: string }[] };
  return { name: group.displayName, memberRemoteIds: (group.members ?? []).map((m) => m.value) };
}

for (const deleteMode of ['delete', 'deactivate'] as const) {
  describeConnectorConformance<ProvisioTarget>({
    name: `scim2 (deleteMode ${deleteMode}) against Provisio’s own SCIM inbound server`,
    setup: () => provisioTarget(deleteMode),
    sampleUser,
    changeUser: () => ({ title: 'Principal engineer', familyName: 'Byron' }),
    capabilities: { groups: true, passwords: true, deleteMode },
    faults: { makeUnreachable: (f) => f.teardown?.() },
    inspect: { user: inspectUser, group: inspectGroup },
  });
}

import assert from 'node:assert/strict';
import type { ConnectorReadSide, OutboundConnector, ReadRequest, RemotePage, RemoteUser } from '@provisio/core';

/** The read methods of a connector the options say can read; a clear failure when one is missing. */
export function readMethods(connector: OutboundConnector): ConnectorReadSide {
  const { listUsers, getUser, listGroups, getGroup } = connector;
  assert.ok(listUsers && getUser, 'options.read needs the connector to implement listUsers and getUser');
  return {
    listUsers: listUsers.bind(connector),
    getUser: getUser.bind(connector),
    ...(listGroups ? { listGroups: listGroups.bind(connector) } : {}),
    ...(getGroup ? { getGroup: getGroup.bind(connector) } : {}),
  };
}

export interface Listing {
  pages: RemotePage<RemoteUser>[];
  ids: string[];
}

/**
 * Reads a whole listing, page by page, calling `between` after each page. Stops with a failure
 * after `maxPages`, so a connector that pages forever fails instead of hanging the suite.
 */
export async function readAll(
  listing: AsyncIterable<RemotePage<RemoteUser>>,
  maxPages: number,
  between: (page: RemotePage<RemoteUser>, index: number) => Promise<void> | void = () => undefined,
): Promise<Listing> {
  const pages: RemotePage<RemoteUser>[] = [];
  for await (const page of listing) {
    assert.ok(Array.isArray(page.items), 'every page must have an items array');
    // Keep only the ids: a listing's accounts are not kept in memory by the kit either.
    pages.push({
      items: page.items.map((u) => ({ remoteId: u.remoteId, active: u.active, attributes: {} })),
      ...(page.totalHint === undefined ? {} : { totalHint: page.totalHint }),
    });
    assert.ok(pages.length <= maxPages, `the listing went on for more than ${maxPages} pages: it must end`);
    await between(page, pages.length - 1);
  }
  return { pages, ids: pages.flatMap((p) => p.items.map((u) => u.remoteId)) };
}

export function assertNoDuplicates(ids: readonly string[]): void {
  const seen = new Set<string>();
  const twice = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  assert.deepEqual(twice, [], 'the listing must yield every account once (these came twice)');
}

export function assertAllListed(ids: readonly string[], expected: readonly string[]): void {
  const listed = new Set(ids);
  const missing = expected.filter((id) => !listed.has(id));
  assert.deepEqual(missing, [], `the listing must yield every account the target holds (${missing.length} of ${expected.length} missing)`);
}

export function assertPageSizes(pages: readonly RemotePage<RemoteUser>[], pageSize: number): void {
  const oversized = pages.findIndex((p) => p.items.length > pageSize);
  assert.equal(oversized, -1, `page ${oversized + 1} has ${pages[oversized]?.items.length} accounts, more than the page size ${pageSize}`);
}

/** When the target tells its total, it must be the number of accounts listed (nothing changed meanwhile). */
export function assertTotalHint(listing: Listing): void {
  for (const [index, page] of listing.pages.entries()) {
    if (page.totalHint === undefined) continue;
    assert.equal(page.totalHint, listing.ids.length, `totalHint of page ${index + 1} must be the target's total`);
  }
}

/** The remote fields the read cases ask for. */
export function requestedFields(fields: readonly string[] | undefined, ...attributeSets: Record<string, unknown>[]): ReadRequest {
  return { attributes: fields ?? [...new Set(attributeSets.flatMap((a) => Object.keys(a)))] };
}

import type { RemotePage } from '@provisio/core';

/**
 * Every page of a listing, in order, for a connector's own read tests. Throws once the listing
 * goes past `maxPages`, so a listing that never ends fails the test instead of hanging it.
 */
export async function collectPages<T>(listing: AsyncIterable<RemotePage<T>>, maxPages = 50): Promise<RemotePage<T>[]> {
  const pages: RemotePage<T>[] = [];
  for await (const page of listing) {
    pages.push(page);
    if (pages.length > maxPages) throw new Error('listing does not end');
  }
  return pages;
}

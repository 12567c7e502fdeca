import type { ExpressionFunction } from '@provisio/core';

/**
 * `directoryHandle(part, ...)`: the directory's login handle, the lowercase ASCII
 * letters and digits of each present part joined by "." (`Ada`, `Love-Lace` →
 * `ada.lovelace`; accents are dropped, not the letters: `Zoë` → `zoe`). A mapping
 * calls it in `from: directoryHandle(name.givenName, name.familyName)` or as a
 * transform (`transform: directoryHandle`). No part present: no value.
 */
export const directoryHandle: ExpressionFunction = {
  name: 'directoryHandle',
  signature: 'directoryHandle(part, ...)',
  minArgs: 1,
  apply: (args) => {
    const parts = args
      .filter((arg): arg is string | number => typeof arg === 'string' || typeof arg === 'number')
      .map((arg) =>
        String(arg)
          .normalize('NFKD')
          .toLowerCase()
          .replace(/[^a-z0-9]/g, ''),
      )
      .filter((part) => part !== '');
    return parts.length > 0 ? parts.join('.') : undefined;
  },
};

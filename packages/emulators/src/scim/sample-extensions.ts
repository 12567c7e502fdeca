import type { ScimUserExtension } from './scim-schema-registry.js';

/**
 * An application's own User extension, as SCIM services that Provisio provisions declare them
 * (a cost centre, a badge number, licences; a 2.0 URN and its SCIM 1.1 form): for tests that
 * start the emulator with `userExtensions` and map attributes into it.
 */
export const ACME_USER_EXTENSION: ScimUserExtension = {
  id: 'urn:ietf:params:scim:schemas:extension:acme:2.0:User',
  v1Id: 'urn:scim:schemas:extension:acme:1.0',
  attributes: [
    { name: 'costCenter', type: 'string' },
    { name: 'badgeNumber', type: 'integer' },
    {
      name: 'licenses',
      type: 'complex',
      multiValued: true,
      subAttributes: [
        { name: 'value', type: 'string' },
        { name: 'type', type: 'string' },
      ],
    },
  ],
};

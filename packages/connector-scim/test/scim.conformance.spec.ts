import { describeConnectorConformance } from '@provisio/connector-testkit';
import { scimConformance } from './scim-conformance-options.js';

// Every auth mode and both deprovisioning modes, across the two dialects, with and without PATCH and Bulk.
describeConnectorConformance(
  scimConformance('scim2 (bearer, PATCH) against the SCIM emulator', { type: 'scim2', auth: 'bearer' }, 'delete'),
);
describeConnectorConformance(
  scimConformance(
    'scim2 (oauth2, Bulk advertised) against the SCIM emulator',
    { type: 'scim2', auth: 'oauth2', emulator: { bulk: { supported: true } } },
    'deactivate',
  ),
);
describeConnectorConformance(
  scimConformance(
    'scim2 (apiKey, no PATCH: PUT) against the SCIM emulator',
    { type: 'scim2', auth: 'apiKey', emulator: { patch: false } },
    'deactivate',
  ),
);
describeConnectorConformance(
  scimConformance('scim11 (basic, PATCH) against the SCIM emulator', { type: 'scim11', auth: 'basic' }, 'delete'),
);
describeConnectorConformance(
  scimConformance(
    'scim11 (apiKey, no PATCH: PUT) against the SCIM emulator',
    { type: 'scim11', auth: 'apiKey', emulator: { patch: false } },
    'deactivate',
  ),
);

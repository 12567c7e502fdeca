import { ContainerModule } from 'inversify';
import { asServiceId, TOKENS } from '@provisio/core';
import { consoleRouter } from '../console/console-router.js';

/** /console: the web console's built assets (no credentials here: the app signs in against /admin/v1). */
export const consoleModule = new ContainerModule(({ bind }) => {
  bind(asServiceId(TOKENS.HttpMount)).toDynamicValue(() => ({ path: '/console', router: consoleRouter(), parseJson: false }));
});

import type { EntityType } from './identity.js';

/** What a job asks a connector instance to do. */
export type OperationKind = 'create' | 'update' | 'delete' | 'addMembers' | 'removeMembers';

export interface OperationRef {
  /** Connector instance id from the manifest. */
  instanceId: string;
  entityType: EntityType;
  /** Provisio's own id of the identity. */
  localId: string;
  kind: OperationKind;
}

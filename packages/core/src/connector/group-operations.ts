import type { OutboundConnector } from './outbound-connector.js';

export type GroupOperations = Required<
  Pick<OutboundConnector, 'createGroup' | 'updateGroup' | 'deleteGroup' | 'findGroup' | 'addMembers' | 'removeMembers'>
>;

/** The connector's group methods, bound, or undefined when any is missing (a connector that declares groups must have all). */
export function groupOperationsOf(connector: OutboundConnector): GroupOperations | undefined {
  const { createGroup, updateGroup, deleteGroup, findGroup, addMembers, removeMembers } = connector;
  if (!createGroup || !updateGroup || !deleteGroup || !findGroup || !addMembers || !removeMembers) return undefined;
  return {
    createGroup: createGroup.bind(connector),
    updateGroup: updateGroup.bind(connector),
    deleteGroup: deleteGroup.bind(connector),
    findGroup: findGroup.bind(connector),
    addMembers: addMembers.bind(connector),
    removeMembers: removeMembers.bind(connector),
  };
}

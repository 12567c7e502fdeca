/** Why a mapping key or value names nothing the target has; the caller adds the connector and the key. */
export class TargetProblem extends Error {}

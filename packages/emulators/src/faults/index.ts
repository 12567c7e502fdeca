// The fault vocabulary every emulator shares (from code: `emulator.faults.<verb>`; over HTTP: POST /__emulator/faults).
export type { FaultVerbs, InjectedFailure, FailureDetails, AccountRefusal, FaultScheduleSnapshot } from './fault-schedule.js';
export type { FaultCommand } from './fault-command.js';

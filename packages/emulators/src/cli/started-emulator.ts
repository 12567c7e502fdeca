// What every emulator runner hands back to main: what to print, and how to stop.
import { randomBytes } from 'node:crypto';
import { CliUsageError } from './cli-errors.js';

export interface StartedEmulator {
  /** e.g. "Salesforce emulator". */
  title: string;
  url: string;
  /** Label/value lines of the text output, in order. */
  details: Array<[label: string, value: string]>;
  /** The same facts for --json. */
  json: Record<string, unknown>;
  close(): Promise<void>;
}

/** A fresh credential per run: the emulator is for one engineer's manual test, nothing is reused. */
export const generatedSecret = (): string => randomBytes(18).toString('base64url');

/** The emulator's own seed errors carry the resource; the entry's place in the file makes it findable. */
export function seedFailure(file: string | undefined, path: string, error: unknown): CliUsageError {
  return new CliUsageError(`--seed ${file ?? '(none)'}: ${path}: ${(error as Error).message}`);
}

/** Scenario results as JSON files (tools/bench/results/<scenario>.json): written by each run, read by the docs generator. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineDetails, ScenarioResult } from './measure.ts';

export interface StoredResult extends ScenarioResult {
  scenario: string;
  /** ISO time the scenario started. */
  startedAt: string;
  /** Wall time of the whole scenario. */
  seconds: number;
  machine: MachineDetails;
}

export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');

export function writeResult(dir: string, result: StoredResult): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.scenario}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Every readable result in `dir`; unreadable files are reported in `problems`, never thrown. */
export function readResults(dir: string): { results: StoredResult[]; problems: string[] } {
  const results: StoredResult[] = [];
  const problems: string[] = [];
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return { results, problems: [`no results directory ${dir}`] };
  }
  for (const file of files) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const problem = shapeProblem(parsed);
      if (problem) problems.push(`${file}: ${problem}`);
      else results.push(parsed as StoredResult);
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  return { results, problems };
}

function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  for (const key of ['scenario', 'title', 'about', 'startedAt'] as const) if (typeof r[key] !== 'string') return `"${key}" is not a string`;
  if (typeof r['machine'] !== 'object' || r['machine'] === null) return '"machine" is missing';
  if (!Array.isArray(r['figures'])) return '"figures" is not an array';
  for (const f of r['figures'] as unknown[]) {
    const figure = f as Record<string, unknown>;
    if (typeof figure?.['metric'] !== 'string' || typeof figure['value'] !== 'number' || typeof figure['unit'] !== 'string')
      return 'a figure is not {metric, value, unit}';
  }
  if (
    r['tables'] !== undefined &&
    (!Array.isArray(r['tables']) ||
      (r['tables'] as unknown[]).some(
        (t) => !Array.isArray((t as Record<string, unknown>)?.['head']) || !Array.isArray((t as Record<string, unknown>)['rows']),
      ))
  )
    return '"tables" is not a list of {head, rows}';
  return undefined;
}

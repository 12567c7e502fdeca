import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDocs } from '../src/docs.ts';
import { readResults, writeResult, type StoredResult } from '../src/results.ts';

const machine = {
  cpu: 'Test CPU @ 2.0GHz',
  cores: 2,
  ramGb: 8,
  node: 'v24.0.0',
  os: 'Debian GNU/Linux 12 (kernel 6.1, x64)',
  loadAverage: 0.5,
  note: 'shared VM',
};

function result(scenario: string, overrides: Partial<StoredResult> = {}): StoredResult {
  return {
    scenario,
    title: `Title of ${scenario}`,
    about: `What ${scenario} measures.`,
    startedAt: '2026-11-25T14:30:00.000Z',
    seconds: 42,
    machine,
    figures: [
      { metric: 'throughput', value: 1234.5678, unit: 'users/s' },
      { metric: 'calls per user', value: 0.005, unit: 'calls' },
      { metric: 'peak RSS (server process)', value: 187.2, unit: 'MB' },
    ],
    ...overrides,
  };
}

describe('docs/benchmarks.md generator', () => {
  it('renders machine details and one table per JSON result, in registry order, with the command that reruns it', () => {
    const page = renderDocs([result('zeta'), result('scim'), result('salesforce')], {
      order: ['scim', 'salesforce'],
      command: 'npm run bench:docs',
    });
    expect(page).toContain('`npm run bench:docs`');
    expect(page).toContain('| CPU | Test CPU @ 2.0GHz |');
    expect(page).toContain('| Cores | 2 |');
    expect(page).toContain('| RAM | 8 GB |');
    expect(page).toContain('| Node.js | v24.0.0 |');
    expect(page).toContain('| Note | shared VM |');
    expect(page).toContain('| throughput | 1,234.6 | users/s |');
    expect(page).toContain('| calls per user | 0.005 | calls |');
    expect(page).toContain('_`npm run bench -- scim`: run 2026-11-25 14:30 UTC, took 42 s');
    // Registry order first; a scenario the registry does not know (a new JSON result) still gets its section, after them.
    const positions = ['## Title of scim', '## Title of salesforce', '## Title of zeta'].map((h) => page.indexOf(h));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('collects every peak RSS figure into the memory section', () => {
    const page = renderDocs([result('scim'), result('steady-state', { title: 'Steady' })], { order: [], command: 'x' });
    const memory = page.slice(page.indexOf('## Memory: peak RSS'));
    expect(memory).toContain('| Title of scim | peak RSS (server process) | 187.2 MB |');
    expect(memory).toContain('| Steady | peak RSS (server process) | 187.2 MB |');
  });

  it('shows a scenario’s own tables first and folds the full figure list; pipes in text cannot break a table', () => {
    const page = renderDocs([result('scim', { tables: [{ head: ['operation', 'requests/s'], rows: [['GET a|b', 12638.4]] }] })], {
      order: [],
      command: 'x',
    });
    expect(page).toContain('| operation | requests/s |\n| --- | ---: |\n| GET a\\|b | 12,638.4 |');
    expect(page).toContain('<details><summary>All figures</summary>');
  });

  it('says so when there are no results', () => {
    expect(renderDocs([], { order: [], command: 'npm run bench:docs' })).toContain('No results yet.');
  });
});

describe('results directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what it wrote and reports unreadable files instead of throwing', () => {
    writeResult(dir, result('scim'));
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    writeFileSync(
      join(dir, 'wrong.json'),
      JSON.stringify({ scenario: 'wrong', title: 't', about: 'a', startedAt: 'x', machine, figures: [{ metric: 'm', value: '12' }] }),
    );
    const { results, problems } = readResults(dir);
    expect(results.map((r) => r.scenario)).toEqual(['scim']);
    expect(results[0].figures[0]).toEqual({ metric: 'throughput', value: 1234.5678, unit: 'users/s' });
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.startsWith('wrong.json'))).toContain('{metric, value, unit}');
  });

  it('reports a missing directory as a problem', () => {
    expect(readResults(join(dir, 'nope')).problems[0]).toContain('no results directory');
  });
});

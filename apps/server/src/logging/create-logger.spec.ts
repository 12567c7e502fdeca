import { runInRequestContext } from '@provisio/core/engine';
import { createLogger } from './create-logger.js';

function capture() {
  const lines: string[] = [];
  const { logger } = createLogger({
    level: 'info',
    secrets: ['s3cret-value'],
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), raw: lines };
}

describe('createLogger and request ids', () => {
  it('writes the request id on every line logged while serving a request, by any child logger, and none outside', async () => {
    const { logger, parsed } = capture();
    const scim = logger.child({ component: 'scim' });
    await runInRequestContext({ requestId: 'req-1' }, async () => {
      scim.info('inside');
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.warn({ n: 1 }, 'after an await');
    });
    scim.info('outside');
    expect(parsed().map((line) => [line.msg, line.requestId])).toEqual([
      ['inside', 'req-1'],
      ['after an await', 'req-1'],
      ['outside', undefined],
    ]);
  });

  it('writes the key once when a logger binds its own request id (a job of an earlier request)', () => {
    const { logger, raw } = capture();
    runInRequestContext({ requestId: 'req-now' }, () => logger.child({ requestId: 'req-of-the-job' }).info('job succeeded'));
    expect(raw[0].match(/"requestId"/g)).toHaveLength(1);
    expect(JSON.parse(raw[0]).requestId).toBe('req-of-the-job');
  });

  it('still scrubs secrets from the line', () => {
    const { logger, raw } = capture();
    runInRequestContext({ requestId: 'req-2' }, () => logger.info({ detail: 'token s3cret-value' }, 'call'));
    expect(raw[0]).not.toContain('s3cret-value');
  });
});

import type { Request, Response } from 'express';
import type { TargetReport } from '@provisio/admin-contract';
import { isPermanentError } from '@provisio/core';
import { type ProvisioningRuntime, type TargetReportRecord } from '@provisio/core/engine';
import { fail } from './http-helpers.js';

/**
 * POST /connectors/{id}/import: runs an import to its end in this request. With Accept
 * application/x-ndjson each page read and each batch linked is a progress line, then the
 * report; a client that goes away (Ctrl+C in the CLI) stops the run between two pages.
 */
export async function runImport(
  runtime: ProvisioningRuntime,
  id: string,
  options: { apply: boolean; actor: string },
  req: Request,
  res: Response,
): Promise<void> {
  if (runtime.imports.isRunning(id)) {
    fail(res, 409, `an import of ${id} is already running`);
    return;
  }
  const streaming = (req.headers.accept ?? '').includes('application/x-ndjson');
  const abort = new AbortController();
  // The response closing before it was ended: the client is gone.
  res.on('close', () => {
    if (!res.writableEnded) abort.abort();
  });
  let started = false;
  try {
    const ran = await runtime.withAnyTarget(id, (target) =>
      runtime.imports.run(target, {
        apply: options.apply,
        actor: options.actor,
        signal: abort.signal,
        onProgress: streaming
          ? (progress) => {
              if (!started) res.status(200).type('application/x-ndjson');
              started = true;
              res.write(`${JSON.stringify(progress)}\n`);
            }
          : undefined,
      }),
    );
    if (!ran) {
      fail(res, 404, `no connector instance "${id}"`);
      return;
    }
    const report = reportView(ran.result);
    if (!streaming) res.json(report);
    else {
      if (!started) res.status(200).type('application/x-ndjson');
      res.end(`${JSON.stringify({ done: true, report })}\n`);
    }
  } catch (error) {
    if (started) {
      res.end(`${JSON.stringify({ error: { message: (error as Error).message } })}\n`);
      return;
    }
    if (isPermanentError(error)) fail(res, 422, (error as Error).message);
    else throw error;
  }
}

export function reportView(report: TargetReportRecord): TargetReport {
  return report;
}

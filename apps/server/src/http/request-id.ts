import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { currentRequestId, runInRequestContext } from '@provisio/core/engine';

/** What a caller's X-Request-Id must look like to be kept: short, and safe in headers, logs and SCIM details. */
const WELL_FORMED = /^[A-Za-z0-9._-]{1,128}$/;

const REQUEST_ID_HEADER = 'X-Request-Id';

/** The caller's X-Request-Id when well-formed, else a fresh one. */
function requestIdOf(given: string | undefined): string {
  return given !== undefined && WELL_FORMED.test(given) ? given : randomUUID();
}

/**
 * Gives every request an id, echoes it in the response and runs the rest of the
 * request in its context: log lines (the logger's mixin), SCIM error details and
 * the jobs it plans carry it.
 */
export function requestIdMiddleware() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = requestIdOf(req.header(REQUEST_ID_HEADER));
    req.id = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    runInRequestContext({ requestId }, next);
  };
}

/**
 * Back into the request's context after a callback-style step (express.json() calls
 * `next` from the body stream's end event, where the context is lost).
 */
export function reenterRequestContext(req: Request, _res: Response, next: NextFunction): void {
  if (currentRequestId() === undefined && typeof req.id === 'string') runInRequestContext({ requestId: req.id }, next);
  else next();
}

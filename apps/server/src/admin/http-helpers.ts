import type { NextFunction, Request, Response } from 'express';

/** The admin API's error shape: `{"error":{"status":404,"message":"..."}}`. */
export function fail(res: Response, status: number, message: string): void {
  res.status(status).json({ error: { status, message } });
}

/** Express 4 does not catch rejected promises: hand them to the error handler. */
export function handle(fn: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res).catch(next);
  };
}

/** A non-empty string query or body value, else undefined. */
export function one(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `?limit=`: a positive integer up to `max`, else the default. */
export function pageLimit(value: unknown, fallback: number, max: number): number {
  const n = Number(one(value) ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

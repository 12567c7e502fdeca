import type { Response } from 'express';

/** The admin API's error shape: `{"error":{"status":404,"message":"..."}}`. */
export function fail(res: Response, status: number, message: string): void {
  res.status(status).json({ error: { status, message } });
}

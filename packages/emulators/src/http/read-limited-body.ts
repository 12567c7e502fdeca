// Request body reading shared by the emulators' node:http front doors.
import type { IncomingMessage } from 'node:http';

/** Reads the whole body but keeps at most `limit` bytes: past that the rest is drained and `tooLarge` set. */
export function readLimitedBody(req: IncomingMessage, limit: number): Promise<{ raw: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ raw: Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

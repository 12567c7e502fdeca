import { z } from '@provisio/core';

export const memoryConfigSchema = z.strictObject({
  journal: z
    .string()
    .optional()
    .describe('Append every operation received to this JSON-lines file, so another process (a test) can see what arrived.'),
  latencyMs: z.number().int().min(0).max(60000).default(0).describe('Delay before each operation completes.'),
  failTransiently: z.number().int().min(0).default(0).describe('Fail this many operations with a transient error before succeeding.'),
  failPermanently: z.string().optional().describe('Fail every operation with this permanent error message.'),
  pageSize: z.number().int().min(1).max(10000).default(100).describe('Accounts per page when the target is read (listUsers, listGroups).'),
  apiKey: z.string().optional().describe('Not used to talk to anything; lets tests and demos exercise secret redaction.'),
});

export type MemoryConfig = z.output<typeof memoryConfigSchema>;

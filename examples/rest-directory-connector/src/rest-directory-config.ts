import { z } from '@provisio/core';

export const restDirectoryConfigSchema = z.strictObject({
  baseUrl: z.url().describe('Base URL of the directory API, e.g. https://directory.example.com/api'),
  apiToken: z.string().min(1).describe('Bearer token for the directory API.'),
  timeoutMs: z.number().int().min(100).default(10000),
  pageSize: z.number().int().min(1).max(1000).default(100).describe('Users per page when reading the directory (GET /users?limit=).'),
});

export type RestDirectoryConfig = z.output<typeof restDirectoryConfigSchema>;

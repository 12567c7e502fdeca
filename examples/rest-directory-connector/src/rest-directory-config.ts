import { z } from '@provisio/core';

export const restDirectoryConfigSchema = z.strictObject({
  baseUrl: z.url().describe('Base URL of the Rest Directory API, e.g. https://rest-directory.example.com/api'),
  apiToken: z.string().min(1).describe('Bearer token for the Rest Directory API. Secret: prefer ${env:NAME}.'),
  timeoutMs: z.number().int().min(100).default(10000).describe('Timeout of one HTTP call.'),
  pageSize: z.number().int().min(1).max(1000).default(100).describe('Users per page when reading Rest Directory (GET /users?limit=).'),
});

/** Fields masked wherever a configuration is shown and scrubbed from every log line. */
export const restDirectorySecretFields = ['apiToken'];

export type RestDirectoryConfig = z.output<typeof restDirectoryConfigSchema>;

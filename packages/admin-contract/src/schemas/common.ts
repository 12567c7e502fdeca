import { z } from 'zod';

/** An instant as the server writes it: ISO 8601 in UTC (`Date#toISOString`). */
export const Instant = z.iso.datetime();

/** Every admin error: `{"error":{"status":404,"message":"..."}}`. */
export const ErrorBody = z.object({ error: z.object({ status: z.int(), message: z.string() }) });

export const ENTITY_TYPES = ['user', 'group'] as const;
export const EntityType = z.enum(ENTITY_TYPES);

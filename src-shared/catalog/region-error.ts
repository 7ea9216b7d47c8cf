import { z } from 'zod';
import { ERROR_CLASSES } from '../errors';

/** Why a region failed, as the catalog and its quota section record it. `errorClass`: the shared class (src-shared/errors.ts); absent in documents written before it existed. */
export const RegionErrorSchema = z.object({ code: z.string(), errorClass: z.enum(ERROR_CLASSES).optional(), message: z.string() });
export type RegionError = z.infer<typeof RegionErrorSchema>;

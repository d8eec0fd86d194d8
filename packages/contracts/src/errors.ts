import { z } from 'zod';

/** Every REST error, whatever the status: `{ error: { code, message } }`. */
export const ErrorResponse = z.object({
  error: z.object({
    /** Stable machine-readable code, e.g. `VALIDATION_FAILED`, `NOT_FOUND`, `INTERNAL`. */
    code: z.string(),
    message: z.string(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

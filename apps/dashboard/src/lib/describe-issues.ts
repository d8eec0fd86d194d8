import type { z } from 'zod';

/** The first few zod issues as "path: message", short enough for a banner. */
export function describeIssues(error: z.ZodError, limit = 3): string {
  const parts = error.issues
    .slice(0, limit)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  const more = error.issues.length > limit ? ` (+${error.issues.length - limit} more)` : '';
  return parts.join('; ') + more;
}

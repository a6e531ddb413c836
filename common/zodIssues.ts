import type { z } from 'zod';

/**
 * A zod error as one line a person can act on: `field.path: reason; …`. `root` names an issue
 * about the whole value ("body"); with an empty root such an issue is just its reason.
 * `separator` goes between path and reason (a space reads as "buyer_nick is missing").
 */
export function describeZodError(error: z.ZodError, options: { root?: string; separator?: string } = {}): string {
  const { root = 'body', separator = ': ' } = options;
  return error.issues
    .map((issue) => {
      const where = issue.path.join('.') || root;
      return where ? `${where}${separator}${issue.message}` : issue.message;
    })
    .join('; ');
}

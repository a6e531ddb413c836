export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The promise's value if it settles within `ms`, else 'late'; a rejection within `ms` is thrown as is. */
export async function byDeadline<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    return await Promise.race([promise.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The promise's value if it settles within `ms`, else `fallback`; a rejection also gives `fallback`. */
export async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  const outcome = await byDeadline(
    promise.catch(() => fallback),
    ms,
  );
  return outcome === 'late' ? fallback : outcome.value;
}

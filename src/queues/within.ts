/**
 * Resolves to the promise's value, or to `undefined` once `ms` have passed or when it rejects: for a call to
 * Redis that may hang while it is away, where waiting longer would hold up work that does not need its answer.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise.then((value) => ({ value }), () => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

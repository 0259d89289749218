/** One caller's item, waiting for the statement that carries it. */
interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Carries many callers' items in one statement (a group commit): `run` takes the items waiting and
 * answers each, in order. Items called for in the same turn of the event loop go together, and so
 * do those that arrive while a statement runs, up to `maxItems`; an item alone goes at once, without
 * a timer. When `run` fails, every item it carried fails with that error, as a statement of its own
 * would have.
 */
export function grouped<T, R>(run: (items: T[]) => Promise<R[]>, maxItems: number): (item: T) => Promise<R> {
  const waiting: Waiting<T, R>[] = [];
  let running = false;

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxItems);
      try {
        const results = await run(batch.map(({ item }) => item));
        batch.forEach(({ resolve }, i) => resolve(results[i] as R));
      } catch (err) {
        for (const { reject } of batch) reject(err);
      }
    }
    running = false;
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (running) return;
      running = true;
      setImmediate(() => void drain());
    });
}

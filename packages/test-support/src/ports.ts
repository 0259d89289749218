import { createServer } from "node:net";
import type { Readable } from "node:stream";

/** A port nothing listens on right now: only a candidate, another process may take it next. */
async function candidatePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** True when `error` (or one of its causes) says a port was taken: Node's EADDRINUSE or a server's own words for it. */
export function isAddressInUse(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    const text =
      current instanceof Error ? `${(current as NodeJS.ErrnoException).code ?? ""} ${current.message}` : String(current);
    if (/EADDRINUSE|address already in use|eaddrinuse/i.test(text)) return true;
    if (!(current instanceof Error)) break;
  }
  return false;
}

/**
 * Starts a server that must be told its port in advance (a child process such as PostgreSQL or
 * Next.js's standalone server) on a free port, and again on another one when the port was taken
 * between the pick and the bind (by another test, or an outgoing connection's local end).
 * Servers that can bind port 0 themselves should do that instead.
 */
export function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  return onFreePorts(1, ([port]) => start(port as number), attempts);
}

/** `onFreePort` for a server that needs several ports (e.g. RabbitMQ: AMQP, distribution, TLS). */
export async function onFreePorts<T>(count: number, start: (ports: number[]) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports = new Set<number>();
    while (ports.size < count) ports.add(await candidatePort());
    try {
      return await start([...ports]);
    } catch (error) {
      if (attempt >= attempts || !isAddressInUse(error)) throw error;
    }
  }
}

/**
 * `count` distinct ports free now, below Linux's ephemeral range (32768 and up), so that no
 * outgoing connection's local end takes one between this check and the process that binds it.
 * For processes that cannot be restarted on another port alone (a whole `npm start`); others
 * should use `onFreePort`.
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (ports.includes(port)) continue;
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (free) {
      ports.push(port);
      server.close();
    }
  }
  return ports;
}

/**
 * The port a child process reports having bound: the `port` of the first JSON line on `output`
 * that has one (the workers' and the API server's start lines). For servers started on port 0.
 */
export function reportedPort(output: Readable, timeoutMs = 90_000): Promise<number> {
  return new Promise((resolve, reject) => {
    let pending = "";
    const timer = setTimeout(() => finish(new Error(`no port reported within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer | string) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const port = portOf(line);
        if (port) return finish(undefined, port);
      }
    };
    const onEnd = () => finish(new Error("the process ended before it reported a port"));
    function finish(error?: Error, port?: number) {
      clearTimeout(timer);
      output.off("data", onData);
      output.off("end", onEnd);
      if (port) resolve(port);
      else reject(error);
    }
    output.on("data", onData);
    output.once("end", onEnd);
  });
}

function portOf(line: string): number | undefined {
  if (!line.trimStart().startsWith("{")) return undefined;
  try {
    const port = (JSON.parse(line) as { port?: unknown }).port;
    return typeof port === "number" && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

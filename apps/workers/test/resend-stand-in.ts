import { createServer, type IncomingHttpHeaders } from "node:http";
import { once } from "node:events";

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface StandInReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A local stand-in for Resend's HTTP API (the real one cannot be reached from tests): it records
 * every request and answers with the replies queued for it, then with a success.
 */
export async function startResendStandIn() {
  const requests: RecordedRequest[] = [];
  const replies: StandInReply[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      requests.push({
        at: Date.now(),
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: text ? JSON.parse(text) : {},
      });
      const reply = replies.shift() ?? { status: 200, body: { id: `re_${crypto.randomUUID()}` } };
      response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers }).end(JSON.stringify(reply.body));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(...next: StandInReply[]) {
      replies.push(...next);
    },
    emailRequests: () => requests.filter((request) => request.method === "POST" && request.path === "/emails"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { request } from "node:http";

/** What `requestFrom` sends. */
export interface RequestFromInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Sends one HTTP request over a connection bound to `localAddress`, so the server sees it coming
 * from that address: on Linux all of 127.0.0.0/8 is this machine, so 127.0.0.2 is a second client
 * (or a proxy) without any network set-up. Resolves with the status and the body as text.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  init: RequestFromInit = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: init.method ?? "GET", headers: init.headers, localAddress, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", reject);
    });
    sent.on("error", reject);
    sent.end(init.body);
  });
}

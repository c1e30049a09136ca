import { Agent, request } from 'node:http';

const REQUEST_TIMEOUT_MS = 30_000;

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * A minimal JSON client on node:http with a keep-alive agent. Bench clients use it instead of
 * fetch so that connection reuse and the socket count are explicit (one socket per virtual
 * client), and so the client's own overhead stays small next to the server it measures.
 */
export class JsonClient {
  readonly agent: Agent;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly baseUrl: URL,
    headers: Record<string, string> = {},
    maxSockets = 64,
  ) {
    this.headers = { ...headers };
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** `headers`: this request's own, over the client's (another caller's credentials, say). */
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<JsonResponse<T>> {
    return this.send<T>('GET', path, undefined, headers);
  }

  post<T = unknown>(path: string, body: unknown): Promise<JsonResponse<T>> {
    return this.send<T>('POST', path, body);
  }

  send<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<JsonResponse<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolvePromise, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.baseUrl.hostname,
          port: this.baseUrl.port,
          method,
          path,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            ...this.headers,
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // Keep the raw text: an HTML error page is still worth showing in an error sample.
            }
            resolvePromise({ status: res.statusCode ?? 0, body: parsed as T });
          });
        },
      );
      // A hung server must end the run, not stall it: a bench has a time budget.
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path} timed out after ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

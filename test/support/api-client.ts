// A tiny HTTPS JSON client for the operator and admin APIs in tests: trusts
// the test CA's root, can present a client certificate, never throws for an
// HTTP error status.
import { request } from 'node:https';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json(): any;
}

export interface ApiCallOptions {
  token?: string;
  body?: unknown;
  /** Raw body (sent as is, with `contentType`). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
  clientCert?: { cert: string; key: string };
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly caPem: string,
    private readonly token?: string,
  ) {}

  withToken(token: string): ApiClient {
    return new ApiClient(this.baseUrl, this.caPem, token);
  }

  call(method: string, path: string, o: ApiCallOptions = {}): Promise<ApiResponse> {
    const url = new URL(this.baseUrl + path);
    const body = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const headers: Record<string, string> = { accept: 'application/json', ...(o.headers ?? {}) };
    const token = o.token ?? this.token;
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { method, headers, ca: this.caPem, ...(o.clientCert ? { cert: o.clientCert.cert, key: o.clientCert.key } : {}) },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              json: () => JSON.parse(text) as unknown,
            }),
          );
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** GET a binary body (an archive, a CRL) as bytes. */
  getBytes(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    const headers: Record<string, string> = this.token === undefined ? {} : { authorization: `Bearer ${this.token}` };
    return new Promise((resolve, reject) => {
      const req = request(new URL(this.baseUrl + path), { method: 'GET', headers, ca: this.caPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  get = (path: string, o?: ApiCallOptions) => this.call('GET', path, o);
  post = (path: string, body?: unknown, o: ApiCallOptions = {}) => this.call('POST', path, { ...o, body: body ?? {} });
  patch = (path: string, body: unknown, o: ApiCallOptions = {}) => this.call('PATCH', path, { ...o, body });
  delete = (path: string, o?: ApiCallOptions) => this.call('DELETE', path, o);
}

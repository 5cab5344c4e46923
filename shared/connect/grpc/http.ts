// A bounded HTTP(S) GET for /metrics and /health: the connection's TLS material, a deadline, and a size cap.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ConnectionOptions, HttpReply } from '../types.ts';

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A GET that must answer 200: the body, or an error naming the status. */
export async function httpGetText(url: string, options: ConnectionOptions): Promise<string> {
  const reply = await httpGet(url, options);
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status} from ${url}`);
  return reply.body;
}

/** A GET answered with any status: the status and the body (errors only when no answer came). */
export function httpGet(url: string, options: ConnectionOptions): Promise<HttpReply> {
  const { tls } = options;
  const secure = url.startsWith('https://');
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      timeout: options.commandTimeoutMs,
      headers: { accept: 'text/plain;version=0.0.4' },
      ...(secure ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.skipVerify } : {}),
    }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) request.destroy(new Error(`response from ${url} exceeds ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    const overall = setTimeout(() => request.destroy(new Error(`timed out after ${options.commandTimeoutMs} ms`)), options.commandTimeoutMs);
    request.on('timeout', () => request.destroy(new Error(`timed out after ${options.commandTimeoutMs} ms`)));
    request.on('error', reject);
    request.on('close', () => clearTimeout(overall));
    request.end();
  });
}

// A bounded HTTP(S) GET for /metrics and /health: the connection's TLS material, a deadline, and a size cap.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ConnectionOptions } from '../types.ts';

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function httpGetText(url: string, options: ConnectionOptions): Promise<string> {
  const { tls } = options;
  const secure = url.startsWith('https://');
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      timeout: options.commandTimeoutMs,
      headers: { accept: 'text/plain;version=0.0.4' },
      ...(secure ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.skipVerify } : {}),
    }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`HTTP ${response.statusCode ?? '?'} from ${url}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) request.destroy(new Error(`response from ${url} exceeds ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      response.on('error', reject);
    });
    const overall = setTimeout(() => request.destroy(new Error(`timed out after ${options.commandTimeoutMs} ms`)), options.commandTimeoutMs);
    request.on('timeout', () => request.destroy(new Error(`timed out after ${options.commandTimeoutMs} ms`)));
    request.on('error', reject);
    request.on('close', () => clearTimeout(overall));
    request.end();
  });
}

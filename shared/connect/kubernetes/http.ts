// The HTTP requests of client-node's generated API clients, sent with the kubeconfig's TLS options (CA, client
// certificate and key) on each request as well as on its agent.
//
// Why: VS Code's extension host patches Node's http/https (@vscode/proxy-agent). With its default
// `http.proxySupport: override` it replaces a request's agent by its own for every host but localhost, carrying over the
// agent's CA and dropping its certificate and key, so client-node's own fetch (TLS options on the agent only) reaches a
// client-certificate API server (kubeadm's) as system:anonymous. Options on the request itself survive the swap.
// The CLI sends the same requests; a kubeconfig's proxy-url still applies (its agent is kept).

import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import type * as ClientNode from '@kubernetes/client-node';

type Shipped = Pick<typeof ClientNode, 'ResponseContext' | 'wrapHttpLibrary'>;

/** The TLS options of an https.Agent that a request may repeat. */
const TLS_OPTIONS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

function tlsOptionsOf(agent: HttpAgent | HttpsAgent | undefined): Record<string, unknown> {
  const options = (agent as { options?: Record<string, unknown> } | undefined)?.options ?? {};
  return Object.fromEntries(TLS_OPTIONS.filter((name) => options[name] !== undefined).map((name) => [name, options[name]]));
}

function send(client: Shipped, context: ClientNode.RequestContext): Promise<ClientNode.ResponseContext> {
  const url = context.getUrl();
  const agent = context.getAgent();
  const body = context.getBody();
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: context.getHttpMethod().toString(), headers: context.getHeaders(), agent, signal: context.getSignal(), ...tlsOptionsOf(agent),
    }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const data = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve(new client.ResponseContext(response.statusCode ?? 0, headers, { text: async () => data.toString('utf8'), binary: async () => data }));
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : String(body));
  });
}

/** client-node's HTTP library for its generated API clients, sending as above. */
export function httpLibrary(client: Shipped): ClientNode.HttpLibrary {
  return client.wrapHttpLibrary({ send: (context) => send(client, context) });
}

// exec and port-forward over WebSocket, as the API server relays them from the kubelet: every binary message starts
// with a channel byte. exec (v4/v5.channel.k8s.io): 0 stdin, 1 stdout, 2 stderr, 3 status (a metav1.Status JSON at the
// end; non-zero exit codes as reason NonZeroExitCode with an ExitCode cause), 4 resize; v5 adds 255 = close a channel.
// port-forward: per requested port i, data on channel 2i and errors on 2i+1, each channel's first frame from the server
// carrying the port as two little-endian bytes.

import { connect } from 'node:net';
import type { WebSocket } from 'ws';
import type { StaticPod } from './kubelet.ts';

const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'portforward.k8s.io'];

export function pickProtocol(offered: Set<string>, url: string): string | false {
  const supported = url.includes('/portforward') ? PORT_FORWARD_PROTOCOLS : EXEC_PROTOCOLS;
  return supported.find((p) => offered.has(p)) ?? false;
}

function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.of(channel), body]);
}

export function runExec(ws: WebSocket, pod: StaticPod, url: URL): void {
  const command = url.searchParams.getAll('command');
  const status = (body: Record<string, unknown>): void => {
    ws.send(frame(3, JSON.stringify({ metadata: {}, ...body })));
    ws.close(1000);
  };
  const child = pod.exec(command);
  if ('notFound' in child) {
    status({
      status: 'Failure', reason: 'InternalError',
      message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${child.notFound}": executable file not found in $PATH: unknown`,
      details: { causes: [{ message: `exec: "${child.notFound}": executable file not found in $PATH` }] },
    });
    return;
  }
  const wantStdin = url.searchParams.get('stdin') === 'true';
  if (!wantStdin) child.stdin?.end();
  child.stdout?.on('data', (data: Buffer) => { if (url.searchParams.get('stdout') !== 'false') ws.send(frame(1, data)); });
  child.stderr?.on('data', (data: Buffer) => { if (url.searchParams.get('stderr') !== 'false') ws.send(frame(2, data)); });
  ws.on('message', (data: Buffer, binary: boolean) => {
    const bytes = binary ? data : Buffer.from(data.toString());
    const channel = bytes[0];
    if (channel === 0 && wantStdin) child.stdin?.write(bytes.subarray(1));
    else if (channel === 255 && bytes[1] === 0) child.stdin?.end();
  });
  ws.on('close', () => { if (child.exitCode === null) child.kill('SIGKILL'); });
  child.on('error', (error) => status({ status: 'Failure', reason: 'InternalError', message: error.message }));
  child.on('close', (code, signal) => {
    if (code === 0) {
      status({ status: 'Success' });
      return;
    }
    const exit = code ?? 137;
    status({
      status: 'Failure', reason: 'NonZeroExitCode',
      message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exit}${signal ? ` (${signal})` : ''}`,
      details: { causes: [{ reason: 'ExitCode', message: String(exit) }] },
    });
  });
}

export function runPortForward(ws: WebSocket, pod: StaticPod, url: URL): void {
  const ports = (url.searchParams.get('ports') ?? '').split(',').filter(Boolean).map(Number);
  const port = ports[0];
  if (ports.length !== 1 || !port || !Number.isInteger(port) || port < 1 || port > 65535) {
    ws.close(1008, 'exactly one port, 1-65535, is supported');
    return;
  }
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16LE(port);
  ws.send(frame(0, prefix));
  ws.send(frame(1, prefix));
  // Host networking: the pod's localhost is its node's address.
  const socket = connect({ host: pod.node.ip, port });
  const pending: Buffer[] = [];
  let connected = false;
  socket.on('connect', () => {
    connected = true;
    for (const chunk of pending) socket.write(chunk);
    pending.length = 0;
  });
  socket.on('data', (data) => ws.send(frame(0, data)));
  socket.on('error', (error) => {
    ws.send(frame(1, `error forwarding port ${port} to pod ${pod.containerId}, uid : failed to execute portforward in network namespace "host": failed to connect to localhost:${port} inside namespace "${pod.containerId}", IPv4: ${error.message}`));
    ws.close(1000);
  });
  socket.on('end', () => ws.close(1000));
  ws.on('message', (data: Buffer) => {
    if (data[0] !== 0) return;
    const body = data.subarray(1);
    if (connected) socket.write(body);
    else pending.push(body);
  });
  ws.on('close', () => socket.destroy());
}

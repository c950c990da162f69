/**
 * A minimal stub DNS client over UDP with TCP fallback (RFC 1035 §4.2,
 * RFC 7766), built on dns-packet.
 *
 * Why not `dns.promises.Resolver`: c-ares hides the raw rcode behind errno
 * strings, may cache answers, and gives no access to the AD bit that DNSSEC
 * validation will need. Here every query goes to the wire and the caller sees
 * the rcode, the answer section and the flags as sent.
 *
 * Transport errors and timeouts are thrown as DnsTransportError; interpreting
 * rcodes is the resolver's job (`dns-resolver.ts`).
 */
import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { connect, isIPv6 } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, RecordType } from 'dns-packet';

export interface DnsServerAddress {
  host: string;
  port: number;
}

export interface DnsMessage {
  /** RFC 1035 §4.1.1 RCODE as dns-packet names it: NOERROR, NXDOMAIN, SERVFAIL… */
  rcode: string;
  answers: Answer[];
  authenticatedData: boolean;
  /** Which transport produced the answer. */
  transport: 'udp' | 'tcp';
}

export class DnsTransportError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'DnsTransportError';
  }
}

/** EDNS(0) (RFC 6891) buffer size recommended by DNS Flag Day 2020. */
const EDNS_UDP_SIZE = 1232;

function buildQuery(id: number, name: string, type: RecordType, edns: boolean): Buffer {
  const opt: OptAnswer = {
    type: 'OPT',
    name: '.',
    udpPayloadSize: EDNS_UDP_SIZE,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    additionals: edns ? [opt] : [],
  });
}

/** RFC 5452 §9.1: accept only a response that echoes our id and question. */
function matches(p: DecodedPacket, id: number, name: string, type: RecordType): boolean {
  const q = p.questions?.[0];
  return (
    p.type === 'response' &&
    p.id === id &&
    q !== undefined &&
    q.type === type &&
    q.name.toLowerCase().replace(/\.$/, '') === name.toLowerCase().replace(/\.$/, '')
  );
}

function toMessage(p: DecodedPacket, transport: 'udp' | 'tcp'): DnsMessage {
  const rcode = (p as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR';
  return { rcode, answers: p.answers ?? [], authenticatedData: p.flag_ad, transport };
}

function udpExchange(
  server: DnsServerAddress,
  name: string,
  type: RecordType,
  deadline: number,
  edns: boolean,
): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const id = randomInt(0, 0x10000);
    const query = buildQuery(id, name, type, edns);
    const socket = createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    let done = false;
    const finish = (err: Error | null, packet?: DecodedPacket): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(retransmit);
      socket.close();
      if (err) reject(err);
      else resolve(packet!);
    };
    const remaining = Math.max(1, deadline - Date.now());
    const timer = setTimeout(
      () => finish(new DnsTransportError(`query timed out after ${remaining} ms`, true)),
      remaining,
    );
    const send = (): void => {
      socket.send(query, server.port, server.host, (err) => {
        if (err) finish(new DnsTransportError(`cannot send query: ${err.message}`, false));
      });
    };
    // One retransmission half way, for a lost datagram (RFC 1035 §4.2.1).
    const retransmit = setTimeout(send, Math.floor(remaining / 2));
    socket.on('error', (err) => finish(new DnsTransportError(err.message, false)));
    socket.on('message', (msg, rinfo) => {
      if (rinfo.port !== server.port) return; // RFC 5452 §9.1: answers come from where we asked
      let p: DecodedPacket;
      try {
        p = dnsPacket.decode(msg);
      } catch {
        return; // garbage: keep waiting for the real answer
      }
      if (matches(p, id, name, type)) finish(null, p);
    });
    send();
  });
}

function tcpExchange(
  server: DnsServerAddress,
  name: string,
  type: RecordType,
  deadline: number,
): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const id = randomInt(0, 0x10000);
    const query = buildQuery(id, name, type, true);
    const framed = Buffer.alloc(query.length + 2);
    framed.writeUInt16BE(query.length, 0);
    query.copy(framed, 2);
    const socket = connect({ host: server.host, port: server.port });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (err: Error | null, packet?: DecodedPacket): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(packet!);
    };
    const remaining = Math.max(1, deadline - Date.now());
    const timer = setTimeout(
      () => finish(new DnsTransportError(`query over TCP timed out after ${remaining} ms`, true)),
      remaining,
    );
    socket.on('connect', () => socket.write(framed));
    socket.on('error', (err) => finish(new DnsTransportError(`TCP: ${err.message}`, false)));
    socket.on('close', () => finish(new DnsTransportError('TCP connection closed before an answer', false)));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2) return;
      const len = buf.readUInt16BE(0);
      if (buf.length < len + 2) return;
      try {
        const p = dnsPacket.decode(buf.subarray(2, len + 2));
        if (matches(p, id, name, type)) finish(null, p);
        else finish(new DnsTransportError('TCP answer does not match the query', false));
      } catch (e) {
        finish(new DnsTransportError(`malformed TCP answer: ${(e as Error).message}`, false));
      }
    });
  });
}

/**
 * One question to one server: UDP first, TCP when the answer is truncated
 * (RFC 7766 §5). The whole exchange shares one deadline of `timeoutMs`.
 */
export async function queryServer(
  server: DnsServerAddress,
  name: string,
  type: RecordType,
  timeoutMs: number,
): Promise<DnsMessage> {
  const deadline = Date.now() + timeoutMs;
  let udp = await udpExchange(server, name, type, deadline, true);
  // RFC 6891 §7: a server that does not speak EDNS answers FORMERR; ask again without it.
  if (toMessage(udp, 'udp').rcode === 'FORMERR') udp = await udpExchange(server, name, type, deadline, false);
  if (!udp.flag_tc) return toMessage(udp, 'udp');
  return toMessage(await tcpExchange(server, name, type, deadline), 'tcp');
}

/** Parses `host:port`, `[v6]:port` or a bare host (port 53). */
export function parseServerAddress(hostPort: string): DnsServerAddress {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(hostPort);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2]) };
  if (isIPv6(hostPort)) return { host: hostPort, port: 53 };
  const i = hostPort.lastIndexOf(':');
  if (i < 0) return { host: hostPort, port: 53 };
  return { host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
}

export function formatServerAddress(s: DnsServerAddress): string {
  return isIPv6(s.host) ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
}

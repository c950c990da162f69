// A real DNS server for tests, on 127.0.0.1 over UDP and TCP (same port),
// built on dns-packet. It plays both the authoritative server and the
// recursive resolver for the names it knows:
//   - names set with setA/setAAAA/setTxt/setCaa/setCname answer with those;
//   - every name under `zones` (default ['test']) exists and, unless set
//     explicitly, answers A with 127.0.0.1 and AAAA with ::1 (options
//     defaultA/defaultAAAA, null to turn off) — so ACME clients under test
//     can use any name like a.example.test;
//   - zone apexes answer SOA and NS (ns1.<zone>, which resolves to 127.0.0.1);
//     NXDOMAIN/NODATA answers carry the zone SOA (RFC 2308) so tools like
//     lego can find the zone;
//   - anything else is NXDOMAIN.
// CNAMEs are chased inside the server, as a recursive resolver would.
// setFailure(name, 'servfail' | 'timeout') simulates a broken zone.
// UDP answers larger than the client's EDNS size (512 without EDNS, or
// `maxUdpSize`) are sent truncated (TC=1) so clients retry over TCP.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, CaaData, DecodedPacket, Packet, RecordType } from 'dns-packet';

export interface TestCaaRecord {
  flags: number;
  tag: string;
  value: string;
}

export interface TestDnsServerOptions {
  port?: number;
  zones?: string[];
  defaultA?: string | null;
  defaultAAAA?: string | null;
  /** Cap on UDP answer size regardless of EDNS (to force TCP fallback). */
  maxUdpSize?: number;
  /** Behave like a pre-EDNS server: FORMERR to any query carrying OPT. */
  rejectEdns?: boolean;
}

export interface QueryLogEntry {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

export interface TestDnsServer {
  host: '127.0.0.1';
  port: number;
  /** host:port, ready for `va.dnsResolver`. */
  address: string;
  setA(name: string, addrs: string[]): void;
  setAAAA(name: string, addrs: string[]): void;
  setTxt(name: string, values: string[]): void;
  clearTxt(name: string): void;
  setCaa(name: string, records: TestCaaRecord[]): void;
  setCname(name: string, target: string): void;
  setFailure(name: string, mode: 'servfail' | 'timeout' | null): void;
  /** Forgets what was set for `name`, or for every name. */
  clear(name?: string): void;
  /** Every question received, in order. */
  queries: QueryLogEntry[];
  close(): Promise<void>;
}

interface Entry {
  a?: string[];
  aaaa?: string[];
  txt?: string[];
  caa?: TestCaaRecord[];
  cname?: string;
  failure?: 'servfail' | 'timeout';
}

const TTL = 1;
const canon = (n: string): string => n.toLowerCase().replace(/\.$/, '');

/** RFC 1035 §3.3.14: a TXT character-string holds at most 255 octets. */
function txtChunks(value: string): Buffer[] {
  const b = Buffer.from(value, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += 255) out.push(b.subarray(i, i + 255));
  return out.length > 0 ? out : [Buffer.alloc(0)];
}

export async function startTestDnsServer(opts: TestDnsServerOptions = {}): Promise<TestDnsServer> {
  const zones = (opts.zones ?? ['test']).map(canon);
  const defaultA = opts.defaultA === undefined ? '127.0.0.1' : opts.defaultA;
  const defaultAAAA = opts.defaultAAAA === undefined ? '::1' : opts.defaultAAAA;
  const data = new Map<string, Entry>();
  const queries: QueryLogEntry[] = [];
  const entry = (name: string): Entry => {
    const key = canon(name);
    let e = data.get(key);
    if (e === undefined) data.set(key, (e = {}));
    return e;
  };

  const zoneOf = (name: string): string | undefined =>
    zones.filter((z) => name === z || name.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
  const exists = (name: string): boolean =>
    data.has(name) || zoneOf(name) !== undefined || [...data.keys()].some((k) => k.endsWith(`.${name}`));
  const soa = (zone: string): Answer => ({
    type: 'SOA',
    name: zone,
    ttl: TTL,
    data: { mname: `ns1.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 60, retry: 60, expire: 600, minimum: TTL },
  });

  function records(name: string, type: RecordType): Answer[] {
    const e = data.get(name);
    const zone = zoneOf(name);
    const nsHost = zone !== undefined && name === `ns1.${zone}`;
    switch (type) {
      case 'A': {
        const v = e?.a ?? (nsHost ? ['127.0.0.1'] : zone !== undefined && defaultA ? [defaultA] : []);
        return v.map((d) => ({ type: 'A', name, ttl: TTL, data: d }));
      }
      case 'AAAA': {
        const v = e?.aaaa ?? (zone !== undefined && defaultAAAA ? [defaultAAAA] : []);
        return v.map((d) => ({ type: 'AAAA', name, ttl: TTL, data: d }));
      }
      case 'TXT':
        return (e?.txt ?? []).map((t) => ({ type: 'TXT', name, ttl: TTL, data: txtChunks(t) }));
      case 'CAA':
        return (e?.caa ?? []).map((c) => ({
          type: 'CAA',
          name,
          ttl: TTL,
          data: { flags: c.flags, tag: c.tag as CaaData['tag'], value: c.value },
        }));
      case 'SOA':
        return zone === name ? [soa(name)] : [];
      case 'NS':
        return zone === name ? [{ type: 'NS', name, ttl: TTL, data: `ns1.${name}` }] : [];
      default:
        return [];
    }
  }

  /** Builds the answer, or null to stay silent (simulated timeout). */
  function answer(query: DecodedPacket, maxUdp: number | null): Buffer | null {
    const q = query.questions?.[0];
    const base: Packet = { type: 'response', id: query.id ?? 0, questions: query.questions ?? [] };
    const flags = dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED);
    if (q === undefined) return dnsPacket.encode({ ...base, flags: flags | 1 }); // FORMERR
    const edns = (query.additionals ?? []).find((a) => a.type === 'OPT');
    if (edns && opts.rejectEdns) return dnsPacket.encode({ ...base, flags: flags | 1 }); // FORMERR
    const optOut: Answer[] = edns
      ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
      : [];
    let name = canon(q.name);
    const failure = data.get(name)?.failure;
    if (failure === 'timeout') return null;
    if (failure === 'servfail') return dnsPacket.encode({ ...base, flags: flags | 2, additionals: optOut });

    const answers: Answer[] = [];
    for (let hops = 0; hops < 8; hops++) {
      const cname = data.get(name)?.cname;
      if (cname === undefined || q.type === 'CNAME') {
        answers.push(...records(name, q.type));
        break;
      }
      answers.push({ type: 'CNAME', name, ttl: TTL, data: cname });
      name = cname;
    }
    if (q.type === 'CNAME') {
      const c = data.get(name)?.cname;
      if (c !== undefined) answers.push({ type: 'CNAME', name, ttl: TTL, data: c });
    }
    const nxdomain = answers.length === 0 && !exists(name);
    const hasData = answers.some((a) => a.type === q.type);
    const zone = zoneOf(name);
    const authorities = !hasData && zone !== undefined ? [soa(zone)] : [];
    const full = dnsPacket.encode({ ...base, flags: flags | (nxdomain ? 3 : 0), answers, authorities, additionals: optOut });
    if (maxUdp !== null && full.length > maxUdp) {
      return dnsPacket.encode({ ...base, flags: flags | dnsPacket.TRUNCATED_RESPONSE, additionals: optOut });
    }
    return full;
  }

  function handle(msg: Buffer, transport: 'udp' | 'tcp'): Buffer | null {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return null;
    }
    const q = query.questions?.[0];
    if (q) queries.push({ name: canon(q.name), type: q.type, transport });
    let maxUdp: number | null = null;
    if (transport === 'udp') {
      const opt = (query.additionals ?? []).find((a) => a.type === 'OPT');
      maxUdp = opt && 'udpPayloadSize' in opt ? Math.max(512, opt.udpPayloadSize) : 512;
      if (opts.maxUdpSize !== undefined) maxUdp = Math.min(maxUdp, opts.maxUdpSize);
    }
    return answer(query, maxUdp);
  }

  const { udp, tcp, port } = await bindBoth(opts.port ?? 0);
  udp.on('message', (msg, rinfo) => {
    const out = handle(msg, 'udp');
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });
  const sockets = new Set<Socket>();
  tcp.on('connection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= buf.readUInt16BE(0) + 2) {
        const len = buf.readUInt16BE(0);
        const out = handle(buf.subarray(2, len + 2), 'tcp');
        buf = buf.subarray(len + 2);
        if (out) {
          const framed = Buffer.alloc(out.length + 2);
          framed.writeUInt16BE(out.length, 0);
          out.copy(framed, 2);
          sock.write(framed);
        }
      }
    });
  });

  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    queries,
    setA: (name, addrs) => void (entry(name).a = [...addrs]),
    setAAAA: (name, addrs) => void (entry(name).aaaa = [...addrs]),
    setTxt: (name, values) => void (entry(name).txt = [...values]),
    clearTxt: (name) => void delete entry(name).txt,
    setCaa: (name, recs) => void (entry(name).caa = recs.map((r) => ({ ...r }))),
    setCname: (name, target) => void (entry(name).cname = canon(target)),
    setFailure: (name, mode) => {
      if (mode === null) delete entry(name).failure;
      else entry(name).failure = mode;
    },
    clear: (name) => (name === undefined ? data.clear() : void data.delete(canon(name))),
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => tcp.close(() => r())),
      ]);
    },
  };
}

/** UDP and TCP on the same port number; retried when port 0 picks a TCP-busy port. */
async function bindBoth(port: number): Promise<{ udp: UdpSocket; tcp: Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, '127.0.0.1', () => resolve());
    });
    const bound = udp.address().port;
    const tcp = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(bound, '127.0.0.1', () => resolve());
      });
      return { udp, tcp, port: bound };
    } catch (e) {
      udp.close();
      if (port !== 0 || attempt >= 10) throw e;
    }
  }
}

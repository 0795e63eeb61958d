import { isIP } from 'node:net';

export interface Cidr {
  text: string;
  bytes: Uint8Array;
  prefix: number;
}

function ipBytes(ip: string): Uint8Array | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return ipBytes(mapped[1]!);
  if (isIP(ip) === 4) return Uint8Array.from(ip.split('.').map(Number));
  if (isIP(ip) !== 6) return null;
  const [head, tail = ''] = ip.split('::') as [string, string?];
  const parts = (s: string) => (s ? s.split(':') : []);
  let groups = parts(head);
  const back = parts(tail);
  // Embedded IPv4 tails other than the mapped form above are not accepted.
  if ([...groups, ...back].some((g) => g.includes('.'))) return null;
  if (ip.includes('::')) groups = [...groups, ...Array(8 - groups.length - back.length).fill('0'), ...back];
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

/** "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr {
  const [address = '', bits] = text.trim().split('/');
  const bytes = ipBytes(address);
  if (!bytes) throw new Error(`"${text}" is not an IP address or CIDR range.`);
  const max = bytes.length * 8;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`"${text}" has a prefix outside 0–${max}.`);
  return { text: text.trim(), bytes, prefix };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const bytes = ipBytes(ip);
  if (!bytes || bytes.length !== cidr.bytes.length) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (cidr.bytes[i]! & mask)) return false;
  }
  return true;
}

export const inAny = (ranges: Cidr[], ip: string) => ranges.some((r) => cidrContains(r, ip));

/** This machine: its own tools, or a local proxy behind which every caller shares one address. */
export const LOOPBACK_RANGES: Cidr[] = [parseCidr('127.0.0.0/8'), parseCidr('::1')];

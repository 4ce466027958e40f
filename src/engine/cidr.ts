/**
 * IPv4 and IPv6 networks in CIDR notation. An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`)
 * belongs to the IPv4 networks its embedded address is in, and the other way round.
 */

/** An address as eight 16-bit words (IPv4 is mapped into `::ffff:0:0/96`). */
type Words = Uint16Array;

export function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

function v4Words(n: number): Words {
  const w = new Uint16Array(8);
  w[5] = 0xffff;
  w[6] = Math.floor(n / 65536);
  w[7] = n % 65536;
  return w;
}

export function parseIPv6(input: string): Words | null {
  let s = input;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (v4 === null) return null;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const w = new Uint16Array(8);
  head.forEach((v, i) => (w[i] = v));
  tail.forEach((v, i) => (w[8 - tail.length + i] = v));
  return w;
}

/** Any textual address as words, or null when it is not an IP address. */
export function parseIP(s: string): Words | null {
  const t = s.trim();
  if (t.includes(':')) return parseIPv6(t);
  const v4 = parseIPv4(t);
  return v4 === null ? null : v4Words(v4);
}

export interface Network {
  words: Words;
  /** Prefix length over the 128-bit form (an IPv4 /8 is /104 here). */
  bits: number;
}

export function parseCidr(s: string): Network | null {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const isV6 = addr.includes(':');
  const words = parseIP(addr);
  if (!words) return null;
  let bits = isV6 ? 128 : 32;
  if (slash >= 0) {
    const b = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b)) return null;
    bits = Number(b);
    if (bits > (isV6 ? 128 : 32)) return null;
  }
  return { words, bits: isV6 ? bits : bits + 96 };
}

export function inNetwork(ip: Words, net: Network): boolean {
  let bits = net.bits;
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((ip[i]! & mask) !== (net.words[i]! & mask)) return false;
  }
  return true;
}

/** A test over textual addresses for any of the networks; invalid networks are skipped. */
export function cidrTest(networks: readonly string[]): ((s: string) => boolean) | null {
  const nets = networks.map(parseCidr).filter((n): n is Network => n !== null);
  if (nets.length === 0) return null;
  return (s) => {
    const ip = parseIP(s);
    return ip !== null && nets.some((n) => inNetwork(ip, n));
  };
}

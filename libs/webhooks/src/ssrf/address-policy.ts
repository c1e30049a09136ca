import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export type AddressClass = 'public' | 'unspecified' | 'loopback' | 'private' | 'link-local' | 'carrier-nat' | 'multicast' | 'reserved';

function blockList(v4: Array<[string, number]>, v6: Array<[string, number]> = []): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return list;
}

/**
 * Everything a webhook must not reach: the host itself, the internal network, cloud metadata
 * (169.254.169.254 is link-local) and addresses that are not routable on the internet.
 * IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are classified as the IPv4 address they carry.
 */
const CLASSES: Array<[Exclude<AddressClass, 'public'>, BlockList]> = [
  ['unspecified', blockList([['0.0.0.0', 8]], [['::', 128]])],
  ['loopback', blockList([['127.0.0.0', 8]], [['::1', 128]])],
  // fec0::/10: site-local, deprecated but still routed inside some networks.
  [
    'private',
    blockList(
      [
        ['10.0.0.0', 8],
        ['172.16.0.0', 12],
        ['192.168.0.0', 16],
      ],
      [
        ['fc00::', 7],
        ['fec0::', 10],
      ],
    ),
  ],
  ['link-local', blockList([['169.254.0.0', 16]], [['fe80::', 10]])],
  ['carrier-nat', blockList([['100.64.0.0', 10]])],
  ['multicast', blockList([['224.0.0.0', 4]], [['ff00::', 8]])],
  [
    'reserved',
    blockList(
      [
        ['192.0.0.0', 24],
        ['192.0.2.0', 24],
        ['198.18.0.0', 15],
        ['198.51.100.0', 24],
        ['203.0.113.0', 24],
        ['240.0.0.0', 4],
      ],
      // ::/96 (IPv4-compatible, deprecated) and ::ffff:0:0:0/96 (SIIT) carry IPv4 addresses too.
      // 64:ff9b:1::/48 is local-use NAT64 and 2001::/32 Teredo: both can reach IPv4 hosts behind them.
      [
        ['2001:db8::', 32],
        ['100::', 64],
        ['64:ff9b::', 96],
        ['64:ff9b:1::', 48],
        ['2001::', 32],
        ['2002::', 16],
        ['::', 96],
        ['::ffff:0:0:0', 96],
      ],
    ),
  ],
];

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

export function classifyAddress(address: string): AddressClass {
  const mapped = MAPPED_V4.exec(address);
  const ip = mapped ? mapped[1]! : address;
  const family = isIP(ip);
  if (family === 0) return 'reserved';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [name, list] of CLASSES) if (list.check(ip, type)) return name;
  return 'public';
}

export class ForbiddenTargetError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    super(`${host} resolves to ${address} (${addressClass}); webhooks may only target public addresses`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves every address of the host and refuses the connection
 * if any of them is not public. The check and the connection use the same answer, so a DNS
 * record that changes between them (rebinding) cannot slip through.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, family: options.family as 0 | 4 | 6 | undefined }, (error, addresses) => {
      if (error) return callback(error, []);
      const forbidden = allowPrivate ? undefined : addresses.find((entry) => classifyAddress(entry.address) !== 'public');
      if (forbidden) return callback(new ForbiddenTargetError(hostname, forbidden.address, classifyAddress(forbidden.address)), []);
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** Checks a target before it is saved and before each request: literal IPs and every DNS answer. */
export async function assertPublicTarget(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const addressClass = classifyAddress(host);
    if (addressClass !== 'public') throw new ForbiddenTargetError(host, host, addressClass);
    return;
  }
  await new Promise<void>((resolve, reject) => guardedLookup(false)(host, { all: true }, (error) => (error ? reject(error) : resolve())));
}

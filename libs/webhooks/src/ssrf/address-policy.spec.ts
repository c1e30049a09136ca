import { ForbiddenTargetError, assertPublicTarget, classifyAddress, guardedLookup } from './address-policy';

describe('SSRF guard: address classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-nat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['192.0.2.10', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['fec0::1', 'private'],
    ['feff::1', 'private'],
    ['64:ff9b:1::a00:1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['not-an-ip', 'reserved'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2001:4860:4860::8888', '64:ff9b:2::1'])(
    '%s is public',
    (address) => {
      expect(classifyAddress(address)).toBe('public');
    },
  );
});

describe('SSRF guard: targets', () => {
  it('refuses literal private and loopback URLs, also in IPv6 brackets', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.5/']) {
      await expect(assertPublicTarget(new URL(url), false)).rejects.toBeInstanceOf(ForbiddenTargetError);
    }
  });

  it('resolves names and refuses them when any address is not public (localhost)', async () => {
    await expect(assertPublicTarget(new URL('http://localhost:1234/'), false)).rejects.toBeInstanceOf(ForbiddenTargetError);
  });

  it('lets everything through when private targets are allowed', async () => {
    await expect(assertPublicTarget(new URL('http://127.0.0.1:1/'), true)).resolves.toBeUndefined();
  });

  it('the connection-time lookup refuses a private answer and passes a public literal through', async () => {
    const lookup = guardedLookup(false);
    const refused = await new Promise<unknown>((resolve) => lookup('localhost', { all: true }, (error) => resolve(error)));
    expect(refused).toBeInstanceOf(ForbiddenTargetError);
    const allowed = await new Promise<unknown>((resolve) => lookup('8.8.8.8', {}, (error, address) => resolve(error ?? address)));
    expect(allowed).toBe('8.8.8.8');
  });
});

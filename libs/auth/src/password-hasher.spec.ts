import * as argon2 from 'argon2';
import type { AppConfig } from '@app/config';
import { PasswordHasher } from './password-hasher';

// The real argon2, watched: which hashes a check ran against, and how often a hash was made.
jest.mock('argon2', () => {
  const actual = jest.requireActual<typeof import('argon2')>('argon2');
  return { ...actual, hash: jest.fn(actual.hash), verify: jest.fn(actual.verify) };
});
const hashSpy = jest.mocked(argon2.hash);
const verifySpy = jest.mocked(argon2.verify);

const CHEAP = { memoryKib: 1024, iterations: 1, parallelism: 1 };
const hasherAt = (passwordHash = CHEAP) => new PasswordHasher({ auth: { passwordHash, maxConcurrentPasswordChecks: 2, maxQueuedPasswordChecks: 8 } } as unknown as AppConfig);

describe('PasswordHasher', () => {
  beforeEach(() => {
    hashSpy.mockClear();
    verifySpy.mockClear();
  });

  it('hashes at the configured cost, which the hash records', async () => {
    const hash = await hasherAt().hash('a password');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(await hasherAt().verify(hash, 'a password')).toBe(true);
    expect(await hasherAt().verify(hash, 'another')).toBe(false);
  });

  it('checks a login without a hash against one stand-in made at the configured cost, and says no', async () => {
    const hasher = hasherAt();
    expect(await hasher.verify(undefined, 'a password')).toBe(false);
    expect(await hasher.verify(null, 'another password')).toBe(false);
    // The same work as for a real account: argon2 verified each time, against a hash at the configured cost.
    expect(verifySpy).toHaveBeenCalledTimes(2);
    const [[first], [second]] = verifySpy.mock.calls as Array<[string, ...unknown[]]>;
    expect(first).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(second).toBe(first);
    expect(hashSpy).toHaveBeenCalledTimes(1); // one stand-in per process, not one per login
  });

  it('makes the stand-in when the application starts, so no login waits for a second argon2 operation', async () => {
    const hasher = hasherAt();
    hasher.onApplicationBootstrap();
    expect(hashSpy).toHaveBeenCalledTimes(1);
    await hashSpy.mock.results[0]!.value;
    expect(await hasher.verify(undefined, 'a password')).toBe(false);
    expect(hashSpy).toHaveBeenCalledTimes(1);
    expect(verifySpy).toHaveBeenCalledTimes(1);
  });

  it('makes the stand-in again on the next login when making it failed', async () => {
    const hasher = hasherAt();
    hashSpy.mockRejectedValueOnce(new Error('out of memory'));
    expect(await hasher.verify(undefined, 'a password')).toBe(false);
    expect(verifySpy).not.toHaveBeenCalled();
    expect(await hasher.verify(undefined, 'a password')).toBe(false);
    expect(hashSpy).toHaveBeenCalledTimes(2);
    expect(verifySpy).toHaveBeenCalledTimes(1);
    await expect(hashSpy.mock.results[1]!.value).resolves.toMatch(/^\$argon2id\$/);
  });

  it('says a hash made at another cost needs hashing again, and one at this cost does not', async () => {
    const older = await hasherAt({ memoryKib: 2048, iterations: 2, parallelism: 1 }).hash('a password');
    expect(hasherAt().needsRehash(older)).toBe(true);
    expect(hasherAt().needsRehash(await hasherAt().hash('a password'))).toBe(false);
  });
});

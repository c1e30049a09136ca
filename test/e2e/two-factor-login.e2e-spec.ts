import { authenticator } from 'otplib';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';

/** The code an authenticator app shows `offsetSeconds` from now. */
const codeAt = (secret: string, offsetSeconds = 0) => authenticator.clone({ epoch: Date.now() + offsetSeconds * 1000 }).generate(secret);

describe('two-factor login (TOTP) for the roles that need it', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Supervisors must use a second factor here; admins not, so the test's own admin session works as before.
    t = await startTestApp({ TOTP_REQUIRED_ROLES: 'supervisor' });
  });
  afterAll(() => t.close());

  const login = (body: Record<string, unknown>) => t.http.post('/v1/auth/login').send(body);

  it('a supervisor without a second factor may only enrol; enrolment turns it on and returns recovery codes once', async () => {
    const supervisor = await t.login('two-factor@test.local', 'supervisor');
    expect((await t.http.get('/v1/auth/me').set('Authorization', supervisor.auth).expect(200)).body.totpEnrolmentRequired).toBe(true);
    expect((await t.http.get('/v1/cases').set('Authorization', supervisor.auth).expect(403)).body.code).toBe('TOTP_ENROLMENT_REQUIRED');

    const enrolment = await t.http.post('/v1/auth/totp/enrolment').set('Authorization', supervisor.auth).expect(200);
    expect(enrolment.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.+secret=/);
    const secret: string = enrolment.body.secret;
    // The seed is sealed at rest, never in the clear.
    const [row] = await t.sql<{ totp_pending_secret_sealed: string }>(`select totp_pending_secret_sealed from agents where id = $1`, [supervisor.id]);
    expect(row!.totp_pending_secret_sealed).toMatch(/^enc1\./);
    expect(row!.totp_pending_secret_sealed).not.toContain(secret);

    expect((await t.http.post('/v1/auth/totp/activation').set('Authorization', supervisor.auth).send({ code: '000000' }).expect(401)).body.code).toBe('INVALID_TOTP');
    await t.http.get('/v1/cases').set('Authorization', supervisor.auth).expect(403);

    const activated = await t.http
      .post('/v1/auth/totp/activation')
      .set('Authorization', supervisor.auth)
      .send({ code: codeAt(secret) })
      .expect(200);
    expect(activated.body.recoveryCodes).toHaveLength(10);
    await t.http.get('/v1/cases').set('Authorization', supervisor.auth).expect(200);
    expect((await t.http.get('/v1/auth/me').set('Authorization', supervisor.auth).expect(200)).body.totpEnrolmentRequired).toBe(false);
    await t.http.post('/v1/auth/totp/enrolment').set('Authorization', supervisor.auth).expect(409);

    // From now on the password alone is not enough; a code is spent once; a recovery code too.
    expect((await login({ email: 'two-factor@test.local', password: TEST_PASSWORD }).expect(401)).body.code).toBe('TOTP_REQUIRED');
    expect((await login({ email: 'two-factor@test.local', password: TEST_PASSWORD, totpCode: '123456' }).expect(401)).body.code).toBe('INVALID_TOTP');
    const next = codeAt(secret, 30);
    await login({ email: 'two-factor@test.local', password: TEST_PASSWORD, totpCode: next }).expect(200);
    expect((await login({ email: 'two-factor@test.local', password: TEST_PASSWORD, totpCode: next }).expect(401)).body.code).toBe('INVALID_TOTP');
    const [recovery] = activated.body.recoveryCodes as string[];
    await login({ email: 'two-factor@test.local', password: TEST_PASSWORD, recoveryCode: recovery }).expect(200);
    expect((await login({ email: 'two-factor@test.local', password: TEST_PASSWORD, recoveryCode: recovery }).expect(401)).body.code).toBe('INVALID_TOTP');
    // A right code with a wrong password is still a wrong password.
    expect((await login({ email: 'two-factor@test.local', password: 'not-the-password', totpCode: codeAt(secret, 30) }).expect(401)).body.code).toBe('INVALID_CREDENTIALS');

    const actions = (await t.http.get(`/v1/admin/audit-log?targetType=agent&targetId=${supervisor.id}`).set('Authorization', t.auth).expect(200)).body.data.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toContain('agent.totp_enabled');
  });

  it('an admin resets a lost second factor: every session ends and the next login must enrol again', async () => {
    const supervisor = await t.login('lost-phone@test.local', 'supervisor');
    const { secret } = (await t.http.post('/v1/auth/totp/enrolment').set('Authorization', supervisor.auth).expect(200)).body;
    await t.http
      .post('/v1/auth/totp/activation')
      .set('Authorization', supervisor.auth)
      .send({ code: codeAt(secret) })
      .expect(200);
    await t.http.get('/v1/cases').set('Authorization', supervisor.auth).expect(200);

    const agent = await t.login('not-an-admin@test.local', 'agent');
    await t.http.delete(`/v1/agents/${supervisor.id}/totp`).set('Authorization', agent.auth).expect(403);
    await t.http.delete(`/v1/agents/${t.adminId}/totp`).set('Authorization', t.auth).expect(403);
    await t.http.delete(`/v1/agents/${supervisor.id}/totp`).set('Authorization', t.auth).expect(204);

    await t.http.get('/v1/cases').set('Authorization', supervisor.auth).expect(401);
    const again = await login({ email: 'lost-phone@test.local', password: TEST_PASSWORD }).expect(200);
    expect(again.body.agent.totpEnrolmentRequired).toBe(true);
    await t.http.get('/v1/cases').set('Authorization', `Bearer ${again.body.token}`).expect(403);
  });

  it('agents whose role does not require it sign in with the password and use the API as before', async () => {
    const agent = await t.login('plain-agent@test.local', 'agent');
    await t.http.get('/v1/cases').set('Authorization', agent.auth).expect(200);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { loadConfig } from '@app/config';
import { EmailChannel } from './email-channel';

describe('email channel, demo mode (NOTIFY_EMAIL_DIR)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'notify-mail-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the message as an .eml file named by the delivery instead of sending it', async () => {
    const channel = new EmailChannel(loadConfig({ NODE_ENV: 'test', NOTIFY_EMAIL_DIR: dir, SMTP_FROM: 'Care <care@wallet.test>' }));
    expect(channel.configured).toBe(true);
    const result = await channel.send('wang@example.com', { deliveryId: 'd-1', locale: 'zh-CN', title: '我们已收到您的申诉', body: '将在12月4日 10:30前回复。' });
    expect(readdirSync(dir)).toEqual(['d-1.eml']);
    const mail = await simpleParser(readFileSync(join(dir, 'd-1.eml')));
    expect(mail.subject).toBe('我们已收到您的申诉');
    expect(mail.text?.trim()).toBe('将在12月4日 10:30前回复。');
    expect(mail.from?.value).toEqual([{ name: 'Care', address: 'care@wallet.test' }]);
    expect(mail.messageId).toBe('<d-1@dispute-engine>');
    expect(result.providerRef).toBe('<d-1@dispute-engine>');
  });

  it('is not configured without SMTP_URL or a folder', () => {
    expect(new EmailChannel(loadConfig({ NODE_ENV: 'test' })).configured).toBe(false);
  });
});

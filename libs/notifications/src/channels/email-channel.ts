import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PermanentDeliveryError, type RenderedMessage, type SendResult } from './channel';

/**
 * Email over SMTP (SMTP_URL), or, with NOTIFY_EMAIL_DIR set (the demo), as .eml files written to
 * that folder instead of sent. The Message-ID is derived from the delivery row, so a message sent
 * twice after a crash is at least recognisable as one by the mail client.
 */
@Injectable()
export class EmailChannel implements OnModuleDestroy {
  private transport: Transporter | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return Boolean(this.config.notifications.emailDir || this.config.notifications.smtpUrl);
  }

  async send(to: string, message: RenderedMessage): Promise<SendResult> {
    const messageId = `<${message.deliveryId}@dispute-engine>`;
    const mail = {
      from: this.config.notifications.smtpFrom,
      to,
      subject: message.title,
      text: message.body,
      messageId,
      headers: { 'Content-Language': message.locale },
    };
    const dir = this.config.notifications.emailDir;
    if (dir) {
      const info = await createTransport({ streamTransport: true, buffer: true, newline: 'unix' }).sendMail(mail);
      await mkdir(dir, { recursive: true });
      // Written whole, then renamed: a reader never sees half a message.
      const path = join(dir, `${message.deliveryId}.eml`);
      await writeFile(`${path}.tmp`, info.message as Buffer);
      await rename(`${path}.tmp`, path);
      return { providerRef: messageId };
    }
    if (!this.config.notifications.smtpUrl) throw new PermanentDeliveryError('email is not configured (SMTP_URL or NOTIFY_EMAIL_DIR)');
    this.transport ??= createTransport(this.config.notifications.smtpUrl);
    try {
      const info = await this.transport.sendMail(mail);
      if (info.rejected?.length) throw new PermanentDeliveryError(`SMTP server refused the recipient: ${info.response}`);
      return { providerRef: info.messageId ?? messageId };
    } catch (error) {
      // 5xx is the server's final word on this message (unknown mailbox, refused content); 4xx and network errors may pass.
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500) throw new PermanentDeliveryError(`SMTP ${code}: ${(error as Error).message}`);
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}

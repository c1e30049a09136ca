import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { PermanentDeliveryError, type RenderedMessage, type SendResult } from './channel';

/** WeChat answers errors with HTTP 200 and an errcode; these mean the access token must be fetched again. */
const TOKEN_INVALID = new Set([40001, 40014, 42001]);
/** The user does not follow the account, or blocked it, or the openid is not of this account: no retry helps. */
const REFUSED_FOR_GOOD = new Set([40003, 43004, 43101]);

interface WechatAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  msgid?: number | string;
}

/**
 * WeChat official-account template messages (WECHAT_APP_ID, WECHAT_APP_SECRET, WECHAT_TEMPLATE_ID):
 * an access token from `/cgi-bin/token`, kept until shortly before it expires, then
 * `/cgi-bin/message/template/send` to the customer's openid with the title and body.
 */
@Injectable()
export class WechatChannel {
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  get configured(): boolean {
    return this.config.notifications.wechat !== undefined;
  }

  async send(openId: string, message: RenderedMessage): Promise<SendResult> {
    const wechat = this.config.notifications.wechat;
    if (!wechat) throw new PermanentDeliveryError('WeChat is not configured');
    const body = JSON.stringify({
      touser: openId,
      template_id: wechat.templateId,
      data: { first: { value: message.title }, remark: { value: message.body } },
    });
    let answer = await this.post(`/cgi-bin/message/template/send?access_token=${encodeURIComponent(await this.accessToken())}`, body);
    if (answer.errcode !== undefined && TOKEN_INVALID.has(answer.errcode)) {
      // Another process (or WeChat) invalidated our token: fetch a new one once.
      this.token = undefined;
      answer = await this.post(`/cgi-bin/message/template/send?access_token=${encodeURIComponent(await this.accessToken())}`, body);
    }
    if (!answer.errcode) return { providerRef: answer.msgid === undefined ? null : String(answer.msgid) };
    const detail = `WeChat errcode ${answer.errcode}: ${answer.errmsg ?? ''}`;
    if (REFUSED_FOR_GOOD.has(answer.errcode)) throw new PermanentDeliveryError(detail);
    throw new Error(detail);
  }

  private async accessToken(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.token && this.token.expiresAt > now) return this.token.value;
    const wechat = this.config.notifications.wechat!;
    const response = await fetch(
      `${wechat.apiUrl}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(wechat.appId)}&secret=${encodeURIComponent(wechat.appSecret)}`,
      { signal: AbortSignal.timeout(this.config.notifications.timeoutMs) },
    );
    const answer = (await response.json()) as WechatAnswer;
    if (!response.ok || !answer.access_token) throw new Error(`WeChat token: ${answer.errcode ?? response.status} ${answer.errmsg ?? ''}`);
    // Renewed five minutes early, so a token never expires on the way.
    this.token = { value: answer.access_token, expiresAt: now + Math.max(60, (answer.expires_in ?? 7200) - 300) * 1000 };
    return this.token.value;
  }

  private async post(pathWithQuery: string, body: string): Promise<WechatAnswer> {
    const response = await fetch(`${this.config.notifications.wechat!.apiUrl}${pathWithQuery}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(this.config.notifications.timeoutMs),
    });
    if (!response.ok) throw new Error(`WeChat answered ${response.status}`);
    return (await response.json()) as WechatAnswer;
  }
}

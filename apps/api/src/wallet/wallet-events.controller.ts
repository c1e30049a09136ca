import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '@app/auth';
import type { WithRawBody } from '@app/http';
import { ReceiveWalletEvent } from '@app/cases';
import { WALLET_SIGNATURE_HEADER, WALLET_TIMESTAMP_HEADER } from '@app/wallet';

/** The wallet's signed callbacks (refund results, account-action confirmations). */
@ApiTags('wallet')
@Public()
@Controller('v1/wallet')
export class WalletEventsController {
  constructor(private readonly receiveWalletEvent: ReceiveWalletEvent) {}

  @Post('events')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Wallet-Timestamp', description: 'Unix seconds; refused when more than 300 s off' })
  @ApiHeader({ name: 'X-Wallet-Signature', description: 'v1=<hex HMAC-SHA256 of "timestamp.METHOD.path.rawBody"> with WALLET_CALLBACK_SECRET' })
  @ApiOperation({
    summary:
      'A wallet callback: 200 {received: true} (duplicate: true for a repeated id, applied: false when the case no longer expects it); 401 INVALID_SIGNATURE / STALE_SIGNATURE; 400 malformed; 404 UNKNOWN_REFERENCE',
  })
  receive(
    @Req() request: FastifyRequest & WithRawBody,
    @Headers(WALLET_TIMESTAMP_HEADER) timestamp: string | undefined,
    @Headers(WALLET_SIGNATURE_HEADER) signature: string | undefined,
  ) {
    return this.receiveWalletEvent.execute({ method: request.method, pathWithQuery: request.originalUrl, rawBody: request.rawBody, timestamp, signature });
  }
}

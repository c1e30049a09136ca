import { UseGuards, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiHeader } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { IdempotencyInterceptor } from '@app/idempotency';
import { MerchantAuthGuard } from '@app/merchants';
import { ApiErrorResponse } from './merchant-responses.dto';

export const MERCHANT_API_KEY_SCHEME = 'merchant-api-key';

/**
 * A merchant API controller: not an agent route (@Public for the agent guard), authenticated by
 * API key instead.
 */
export const MerchantApi = () =>
  applyDecorators(
    Public(),
    UseGuards(MerchantAuthGuard),
    ApiBearerAuth(MERCHANT_API_KEY_SCHEME),
    ApiDefaultResponse({ type: ApiErrorResponse, description: 'Refused: `code` says why (stable), `message` in words, more fields by code.' }),
  );

/** A POST that honours Idempotency-Key (Stripe's rules). */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Repeat a request safely: the same key and body return the stored response; a different body is a 422; kept 24 hours.',
    }),
  );

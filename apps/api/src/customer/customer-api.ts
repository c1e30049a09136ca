import { ExecutionContext, UseGuards, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '@app/auth';
import { CUSTOMER_LOCALES, CustomerAuthGuard, resolveCustomerLocale, type CustomerLocale } from '@app/customers';
import { DomainError, DomainErrorCode } from '@app/domain';

export const CUSTOMER_TOKEN_SCHEME = 'customer-token';

/**
 * A customer API controller: not an agent route (@Public for the agent guard), authenticated by
 * the wallet backend's customer token instead; answers in the customer's language.
 */
export const CustomerApi = () =>
  applyDecorators(
    Public(),
    UseGuards(CustomerAuthGuard),
    ApiBearerAuth(CUSTOMER_TOKEN_SCHEME),
    ApiQuery({ name: 'locale', required: false, enum: CUSTOMER_LOCALES, description: 'The language of the plain-words texts; wins over Accept-Language. Default zh-CN.' }),
    ApiHeader({ name: 'Accept-Language', required: false, description: 'zh-CN (default) or en, when ?locale= is not given.' }),
  );

/** The language to answer in: `?locale=` (zh-CN or en, anything else is a 400), else Accept-Language, else zh-CN. */
export const RequestedLocale = createParamDecorator((_: unknown, context: ExecutionContext): CustomerLocale => {
  const request = context.switchToHttp().getRequest<FastifyRequest<{ Querystring: { locale?: unknown } }>>();
  const query = request.query.locale;
  if (query !== undefined && (typeof query !== 'string' || !(CUSTOMER_LOCALES as readonly string[]).includes(query))) {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'locale is zh-CN or en.', { fields: [{ path: 'locale', message: `one of ${CUSTOMER_LOCALES.join(', ')}` }] });
  }
  return resolveCustomerLocale(query, request.headers['accept-language']);
});

import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { AGENT_ROLES, DomainError, DomainErrorCode, type AgentRole } from '@app/domain';
import { AgentSessions, type AuthenticatedAgent } from './agent-sessions';

export const SESSION_COOKIE = 'sid';
/**
 * The cookie's name where cookies are Secure: the `__Host-` prefix makes browsers refuse it unless
 * it is Secure, host-only and for path / (no subdomain or plain-http page can plant or shadow it).
 */
export const SECURE_SESSION_COOKIE = '__Host-sid';
export const sessionCookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

/**
 * The Set-Cookie value of an agent's session token (an empty token and a past date end it): sent
 * to this host only, for every path, never readable by scripts, never sent with another site's
 * requests; Secure where the deployment is served over https.
 */
export function sessionCookie(token: string, expires: Date, secure: boolean): string {
  return `${sessionCookieName(secure)}=${encodeURIComponent(token)}; Path=/; Expires=${expires.toUTCString()}; HttpOnly; ${secure ? 'Secure; ' : ''}SameSite=Strict`;
}
const PUBLIC = 'auth:public';
const MIN_ROLE = 'auth:min-role';
const DURING_ENROLMENT = 'auth:during-totp-enrolment';

/** Marks a route that needs no agent session (login, health, metrics). */
export const Public = () => SetMetadata(PUBLIC, true);
/** The lowest role that may call the route (agent < supervisor < admin). */
export const RequireRole = (role: AgentRole) => SetMetadata(MIN_ROLE, role);
/** A route a session may use before its agent has enrolled the second factor their role needs (me, logout, enrolment). */
export const AllowDuringTotpEnrolment = () => SetMetadata(DURING_ENROLMENT, true);

type AuthedRequest = FastifyRequest & { agent?: AuthenticatedAgent; sessionToken?: string };

export function tokenFrom(request: { headers: IncomingHttpHeaders }): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  const cookies = request.headers.cookie ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== SESSION_COOKIE && name !== SECURE_SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined; // a malformed cookie is no session, not a server error
    }
  }
  return undefined;
}

/** Every route needs an agent session unless marked @Public(); roles are checked here too. */
@Injectable()
export class AgentAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: AgentSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const token = tokenFrom(request);
    const agent = token ? await this.sessions.resolve(token) : null;
    if (!agent) throw new DomainError(DomainErrorCode.Unauthenticated, 'Log in first: no valid session.');
    if (agent.totpEnrolmentRequired && !this.reflector.getAllAndOverride<boolean>(DURING_ENROLMENT, targets)) {
      throw new DomainError(DomainErrorCode.TotpEnrolmentRequired, 'Your role signs in with a one-time code: set up two-factor login first (POST /v1/auth/totp/enrolment).');
    }
    const minimum = this.reflector.getAllAndOverride<AgentRole | undefined>(MIN_ROLE, targets);
    if (minimum && AGENT_ROLES.indexOf(agent.role) < AGENT_ROLES.indexOf(minimum)) {
      throw new DomainError(DomainErrorCode.Forbidden, `This needs the ${minimum} role.`);
    }
    request.agent = agent;
    request.sessionToken = token;
    return true;
  }
}

export const CurrentAgent = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedAgent => {
  const agent = context.switchToHttp().getRequest<AuthedRequest>().agent;
  if (!agent) throw new DomainError(DomainErrorCode.Unauthenticated, 'Log in first: no valid session.');
  return agent;
});

import type { AgentRole } from '@app/domain';

export interface AuthenticatedAgent {
  id: string;
  email: string;
  displayName: string;
  role: AgentRole;
  locale: 'zh-CN' | 'en';
  /** Sessions only: the role needs two-factor login and the agent has not enrolled, so this session may only enrol. */
  totpEnrolmentRequired?: boolean;
}

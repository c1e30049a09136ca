export { IntakeModule } from './intake.module';
export { IntakeTokenGuard, IntakeClient } from './intake-token.guard';
export { OpenIntakeCase, type IntakeResult, type OpenIntakeCaseCommand } from './open-intake-case';

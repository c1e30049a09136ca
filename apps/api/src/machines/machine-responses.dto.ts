import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTOR_KINDS, AGENT_ROLES, CASE_KINDS, type ActorKind, type AgentRole, type CaseKind } from '@app/domain';

/** GET /v1/machines/…: a machine described as data (describeMachine), as OpenAPI schemas. */

export class StateDescriptionDto {
  @ApiProperty({ description: "XState's node id, e.g. dispute.investigation.reviewing." }) id!: string;
  @ApiProperty({ description: 'Dotted path as stored on a case.' }) path!: string;
  @ApiProperty() key!: string;
  @ApiProperty({ type: String, nullable: true }) parent!: string | null;
  @ApiProperty({ enum: ['atomic', 'compound', 'parallel', 'final', 'history'] }) type!: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  @ApiProperty({ type: String, nullable: true }) initial!: string | null;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() depth!: number;
}

export class TransitionDescriptionDto {
  @ApiProperty() source!: string;
  @ApiProperty({ description: '`after:<deadline>` for a deadline, `always` for an eventless transition.' }) event!: string;
  @ApiProperty({ enum: ['event', 'deadline', 'always'] }) kind!: 'event' | 'deadline' | 'always';
  @ApiProperty({ type: String, nullable: true }) target!: string | null;
  @ApiProperty({ type: String, nullable: true }) deadline!: string | null;
  @ApiProperty({ type: String, nullable: true }) guard!: string | null;
}

export class PayloadFieldDescriptionDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['string', 'integer', 'number', 'boolean', 'enum', 'string[]', 'unknown'] })
  type!: 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'string[]' | 'unknown';
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional({ type: [String] }) options?: string[];
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
  @ApiPropertyOptional() positive?: boolean;
  @ApiPropertyOptional({ description: 'Integer minor units of the case currency: show a money input.' }) money?: boolean;
  @ApiPropertyOptional({
    description: "The value from the catalogue's first example.",
    anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: {} }, { type: 'object', additionalProperties: true }],
  })
  example?: unknown;
}

export class EventDescriptionDto {
  @ApiProperty() type!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ACTOR_KINDS, isArray: true }) sentBy!: ActorKind[];
  @ApiProperty({ enum: AGENT_ROLES, nullable: true }) minimumRole!: AgentRole | null;
  @ApiProperty({ type: [PayloadFieldDescriptionDto] }) fields!: PayloadFieldDescriptionDto[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Example payloads.' }) examples!: Array<Record<string, unknown>>;
}

export class DeadlineNameDto {
  @ApiProperty() name!: string;
  @ApiProperty() label!: string;
}

export class MachineDescriptionDto {
  @ApiProperty({ enum: CASE_KINDS }) kind!: CaseKind;
  @ApiProperty() version!: number;
  @ApiProperty({ description: "The root state's id." }) id!: string;
  @ApiProperty({ type: String, nullable: true }) initial!: string | null;
  @ApiProperty({ type: [StateDescriptionDto], description: 'Depth first, parents before children.' }) states!: StateDescriptionDto[];
  @ApiProperty({ type: [TransitionDescriptionDto] }) transitions!: TransitionDescriptionDto[];
  @ApiProperty({ type: [EventDescriptionDto] }) events!: EventDescriptionDto[];
  @ApiProperty({ type: [DeadlineNameDto] }) deadlines!: DeadlineNameDto[];
}

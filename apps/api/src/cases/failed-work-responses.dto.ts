import { ApiProperty } from '@nestjs/swagger';

/** GET /v1/failed-work's answer, as OpenAPI schemas. */

export class FailedEffectDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The effect: requestRefund, freezeAccount, notify, …' }) type!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true, description: "The last attempt's error, as the worker recorded it" }) lastError!: string | null;
  @ApiProperty({ description: 'When the command that asked for it committed' }) writtenAt!: string;
}

export class FailedDeadlineDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['machine', 'sla'], description: "machine: a state's timer; sla: an SLA reminder or breach" }) kind!: 'machine' | 'sla';
  @ApiProperty() name!: string;
  @ApiProperty() dueAt!: string;
}

export class FailedWorkCaseDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() state!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() livemode!: boolean;
  @ApiProperty({ description: "The earliest of its failed effects' writing and its failed deadlines' due times" }) oldestAt!: string;
  @ApiProperty({ type: [FailedEffectDto] }) effects!: FailedEffectDto[];
  @ApiProperty({ type: [FailedDeadlineDto] }) deadlines!: FailedDeadlineDto[];
}

export class FailedWorkPageDto {
  @ApiProperty({ type: [FailedWorkCaseDto], description: 'Cases with failed work, the longest waiting first' }) data!: FailedWorkCaseDto[];
  @ApiProperty({ description: 'How many cases have failed work in all' }) total!: number;
}

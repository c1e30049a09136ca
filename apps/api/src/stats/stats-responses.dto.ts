import { ApiProperty } from '@nestjs/swagger';

/** GET /v1/stats/queues, as OpenAPI schemas. */

export class QueueCountsDto {
  @ApiProperty() active!: number;
  @ApiProperty({ description: 'The next deadline has passed.' }) overdue!: number;
  @ApiProperty({ description: 'The next deadline is within 4 hours.' }) dueSoon!: number;
  @ApiProperty() unassigned!: number;
}

export class KindStateCountsDto extends QueueCountsDto {
  @ApiProperty() kind!: string;
  @ApiProperty() state!: string;
}

export class AssigneeCountsDto extends QueueCountsDto {
  @ApiProperty({ type: String, nullable: true }) assigneeId!: string | null;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
}

export class QueueStatsDto {
  @ApiProperty() at!: string;
  @ApiProperty({ type: QueueCountsDto }) totals!: QueueCountsDto;
  @ApiProperty({ type: [KindStateCountsDto] }) byKindState!: KindStateCountsDto[];
  @ApiProperty({ type: [AssigneeCountsDto] }) byAssignee!: AssigneeCountsDto[];
}

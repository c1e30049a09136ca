import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { CASE_KINDS, CHANNELS, PRIORITIES, type CaseKind, type Channel, type Priority } from '@app/domain';

/** The queue's tabs, as the admin UI names them in its URL. */
export const QUEUE_TABS = ['mine', 'unassigned', 'dueSoon', 'overdue', 'byKind'] as const;

/** What a saved view holds: the queue's URL parameters, each checked as the queue would read it. */
export class SavedViewQueryDto {
  @ApiPropertyOptional({ enum: QUEUE_TABS }) @IsOptional() @IsIn(QUEUE_TABS as unknown as string[]) tab?: string;
  @ApiPropertyOptional({ enum: CASE_KINDS }) @IsOptional() @IsIn(CASE_KINDS as unknown as string[]) kind?: CaseKind;
  @ApiPropertyOptional({ example: 'investigation.reviewing' })
  @IsOptional()
  @Matches(/^[A-Za-z]+(\.[A-Za-z]+)*$/, { message: 'state must be a dotted state path' })
  @MaxLength(200)
  state?: string;
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES as unknown as string[]) priority?: Priority;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS as unknown as string[]) channel?: Channel;
  @ApiPropertyOptional({ description: 'Text search' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ enum: ['nextDeadline', 'createdAt'] }) @IsOptional() @IsIn(['nextDeadline', 'createdAt']) sort?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: "'false': merchants' test-mode cases" }) @IsOptional() @IsIn(['true', 'false']) livemode?: string;
}

export class SaveViewDto {
  @ApiProperty({ example: 'My disputes awaiting the merchant' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(80)
  name!: string;

  @ApiProperty({ type: SavedViewQueryDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SavedViewQueryDto)
  query!: SavedViewQueryDto;

  @ApiPropertyOptional({ description: 'Supervisors: show it to the whole team', default: false })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

export class UpdateSavedViewDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(80)
  name?: string;

  @ApiPropertyOptional({ type: SavedViewQueryDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SavedViewQueryDto)
  query?: SavedViewQueryDto;

  @ApiPropertyOptional({ description: 'Supervisors: share with the team, or stop sharing' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

export class LinkCaseDto {
  @ApiProperty({ description: 'The case to link with' })
  @IsUUID()
  caseId!: string;
}

export class MergeCaseDto {
  @ApiProperty({ description: 'The original: this case (the duplicate) closes into it' })
  @IsNotEmpty()
  @IsUUID()
  intoCaseId!: string;

  @ApiPropertyOptional({ description: "The duplicate's version you saw; a stale one is a 409" })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

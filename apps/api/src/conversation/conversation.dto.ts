import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { MAX_MESSAGE_LENGTH, MESSAGE_LOCALES } from '@app/customers';

const PARTIES = ['customer', 'merchant'] as const;

export class PostCaseMessageDto {
  @ApiProperty({ enum: PARTIES, description: 'Who the message is to: the customer, or the merchant (disputes only).' })
  @IsIn(PARTIES as unknown as string[])
  party!: 'customer' | 'merchant';

  @ApiProperty({ example: '您好，我们已收到您的申请，预计 3 个工作日内答复。', maxLength: MAX_MESSAGE_LENGTH })
  @IsString()
  @MaxLength(MAX_MESSAGE_LENGTH)
  body!: string;

  @ApiPropertyOptional({ enum: MESSAGE_LOCALES, description: "The message's language; by default the language the party last wrote in (zh-CN if never)." })
  @IsOptional()
  @IsIn(MESSAGE_LOCALES as unknown as string[])
  locale?: 'zh-CN' | 'en';

  @ApiPropertyOptional({ description: 'The macro the reply started from, if any.' })
  @IsOptional()
  @IsUUID()
  macroId?: string;
}

export class CaseMessagesQueryDto {
  @ApiPropertyOptional({ enum: PARTIES, description: 'Only one side of the conversation.' })
  @IsOptional()
  @IsIn(PARTIES as unknown as string[])
  party?: 'customer' | 'merchant';
}

export class RenderMacroQueryDto {
  @ApiProperty({ description: 'The case whose values fill the placeholders.' })
  @IsUUID()
  caseId!: string;

  @ApiPropertyOptional({ enum: PARTIES, description: 'Whose language to render in when locale is not given (default customer).' })
  @IsOptional()
  @IsIn(PARTIES as unknown as string[])
  party?: 'customer' | 'merchant';

  @ApiPropertyOptional({ enum: MESSAGE_LOCALES })
  @IsOptional()
  @IsIn(MESSAGE_LOCALES as unknown as string[])
  locale?: 'zh-CN' | 'en';
}

export class MerchantPostMessageDto {
  @ApiProperty({ example: 'The parcel was delivered on 3 December; tracking SF1234567890.', maxLength: MAX_MESSAGE_LENGTH })
  @IsString()
  @MaxLength(MAX_MESSAGE_LENGTH)
  body!: string;

  @ApiPropertyOptional({ enum: MESSAGE_LOCALES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(MESSAGE_LOCALES as unknown as string[])
  locale?: 'zh-CN' | 'en';
}

// Answers, as OpenAPI schemas (the admin UI's types are generated from them).

export class MessageAuthorDto {
  @ApiProperty({ enum: ['agent', 'customer', 'merchant'] }) kind!: 'agent' | 'customer' | 'merchant';
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
}

export class CaseMessageDto {
  @ApiProperty() id!: string;
  @ApiProperty() caseId!: string;
  @ApiProperty({ enum: PARTIES }) party!: 'customer' | 'merchant';
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction!: 'inbound' | 'outbound';
  @ApiProperty({ type: MessageAuthorDto }) author!: MessageAuthorDto;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: MESSAGE_LOCALES }) locale!: 'zh-CN' | 'en';
  @ApiProperty({ type: String, nullable: true }) macroId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class ReplyLocalesDto {
  @ApiProperty({ enum: MESSAGE_LOCALES }) customer!: 'zh-CN' | 'en';
  @ApiProperty({ enum: MESSAGE_LOCALES, nullable: true, description: 'Null when the case has no merchant.' }) merchant!: 'zh-CN' | 'en' | null;
}

export class CaseConversationDto {
  @ApiProperty() caseId!: string;
  @ApiProperty({ type: ReplyLocalesDto, description: 'The language a reply to each party goes out in by default.' }) replyLocales!: ReplyLocalesDto;
  @ApiProperty({ type: [CaseMessageDto], description: 'Oldest first.' }) messages!: CaseMessageDto[];
}

export class MacroTranslationDto {
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
}

export class MacroTranslationsDto {
  @ApiProperty({ type: MacroTranslationDto }) 'zh-CN'!: MacroTranslationDto;
  @ApiProperty({ type: MacroTranslationDto }) en!: MacroTranslationDto;
}

export class MacroDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: MacroTranslationsDto }) translations!: MacroTranslationsDto;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class MacroPageDto {
  @ApiProperty({ type: [MacroDto] }) data!: MacroDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RenderedMacroDto {
  @ApiProperty() macroId!: string;
  @ApiProperty({ enum: MESSAGE_LOCALES }) locale!: 'zh-CN' | 'en';
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'The reply text with its placeholders filled.' }) body!: string;
}

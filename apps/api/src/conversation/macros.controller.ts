import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { adminAuditActor, CurrentAgent, RequireRole, type AuthenticatedAgent } from '@app/auth';
import { CreateMacro, DeleteMacro, ListMacros, RenderMacro, UpdateMacro } from '@app/customers';
import { PageQuery } from '../page-query';
import { MacroDto, MacroPageDto, RenderedMacroDto, RenderMacroQueryDto } from './conversation.dto';

const EXAMPLE = {
  translations: {
    'zh-CN': { title: '已收到申请', body: '{customerName}，您好：我们已收到您的申请（案件号 {caseNumber}），将在 3 个工作日内答复。' },
    en: { title: 'Request received', body: 'Dear {customerName}, we have received your request (case {caseNumber}) and will reply within 3 working days.' },
  },
};

/** Canned replies: every agent reads them, admins write them. */
@ApiTags('macros')
@ApiBearerAuth()
@Controller('v1/macros')
export class MacrosController {
  constructor(
    private readonly listMacros: ListMacros,
    private readonly createMacro: CreateMacro,
    private readonly updateMacro: UpdateMacro,
    private readonly deleteMacro: DeleteMacro,
    private readonly renderMacro: RenderMacro,
  ) {}

  @Get()
  @ApiOperation({ summary: "Macros sorted by their title in the agent's language, a page at a time" })
  @ApiOkResponse({ type: MacroPageDto })
  list(@CurrentAgent() agent: AuthenticatedAgent, @Query() query: PageQuery) {
    return this.listMacros.execute(agent.locale, query);
  }

  @Get(':id/render')
  @ApiOperation({ summary: "A macro filled in for a case ({caseNumber}, {customerName}, {agentName}, {subject}, {transactionRef}), in the party's language" })
  @ApiOkResponse({ type: RenderedMacroDto })
  render(@Param('id') id: string, @Query() query: RenderMacroQueryDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.renderMacro.execute({ macroId: id, ...query }, agent.id);
  }

  @RequireRole('admin')
  @Post()
  @ApiOperation({ summary: 'Create a macro: a title and a body in zh-CN and en' })
  @ApiBody({ schema: { type: 'object', example: EXAMPLE } })
  @ApiCreatedResponse({ type: MacroDto })
  create(@Body() body: Record<string, unknown>, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.createMacro.execute(body, agent.id, adminAuditActor(agent));
  }

  @RequireRole('admin')
  @Put(':id')
  @ApiOperation({ summary: 'Replace a macro' })
  @ApiBody({ schema: { type: 'object', example: EXAMPLE } })
  @ApiOkResponse({ type: MacroDto })
  update(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.updateMacro.execute(id, body, adminAuditActor(agent));
  }

  @RequireRole('admin')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentAgent() agent: AuthenticatedAgent): Promise<void> {
    await this.deleteMacro.execute(id, adminAuditActor(agent));
  }
}

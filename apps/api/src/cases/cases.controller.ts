import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { adminAuditActor, CurrentAgent, RequireRole, type AuthenticatedAgent } from '@app/auth';
import {
  AddCaseNote,
  AssignCase,
  GetCase,
  GetCaseTimeline,
  ListCases,
  OpenCase,
  RedriveCaseDeadlines,
  RedriveCaseEffects,
  RevealCustomerContact,
  SendCaseEvent,
  type Actor,
} from '@app/cases';
import { AssignDto, ListCasesQueryDto, NoteDto, OpenCaseDto, RevealContactDto, SendEventDto } from './case.dto';
import { CaseDetailDto, CasePageDto, CreatedNoteDto, DeadlinesRedrivenDto, RedrivenDto, RevealedContactDto, TimelineEntryDto } from './case-responses.dto';

const actorOf = (agent: AuthenticatedAgent): Actor => ({ kind: 'agent', id: agent.id, role: agent.role, label: agent.email });

/** Agent routes. Each handler translates HTTP to one use case and nothing more. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class CasesController {
  constructor(
    private readonly openCase: OpenCase,
    private readonly listCases: ListCases,
    private readonly getCase: GetCase,
    private readonly sendCaseEvent: SendCaseEvent,
    private readonly assignCase: AssignCase,
    private readonly addCaseNote: AddCaseNote,
    private readonly getCaseTimeline: GetCaseTimeline,
    private readonly redriveCaseEffects: RedriveCaseEffects,
    private readonly redriveCaseDeadlines: RedriveCaseDeadlines,
    private readonly revealCustomerContact: RevealCustomerContact,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Open a case from any channel' })
  @ApiCreatedResponse({ type: CaseDetailDto })
  async open(@Body() body: OpenCaseDto, @CurrentAgent() agent: AuthenticatedAgent) {
    const id = await this.openCase.execute({ ...body, priority: body.priority ?? 'normal' }, actorOf(agent));
    return this.getCase.execute(id, actorOf(agent));
  }

  @Get()
  @ApiOperation({ summary: 'The case queue: filters, text search, sorted by next deadline, cursor-paginated' })
  @ApiOkResponse({ type: CasePageDto })
  list(@Query() query: ListCasesQueryDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.listCases.execute({
      ...query,
      assigneeId: query.assigneeId === 'me' ? agent.id : query.assigneeId,
      escalated: query.escalated === undefined ? undefined : query.escalated === 'true',
      livemode: query.livemode !== 'false',
      dueBefore: query.dueBefore ? new Date(query.dueBefore) : undefined,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A case with its allowed events, live deadlines and version' })
  @ApiOkResponse({ type: CaseDetailDto })
  get(@Param('id') id: string, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.getCase.execute(id, actorOf(agent));
  }

  @Post(':id/events')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an event; 409 with allowedEvents when refused, 409 on a stale expectedVersion' })
  @ApiOkResponse({ type: CaseDetailDto })
  send(@Param('id') id: string, @Body() body: SendEventDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.sendCaseEvent.executeAndView({ caseId: id, event: { ...(body.payload ?? {}), type: body.type }, expectedVersion: body.expectedVersion }, actorOf(agent));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to an agent, or unassign with null' })
  @ApiOkResponse({ type: CaseDetailDto })
  async assign(@Param('id') id: string, @Body() body: AssignDto, @CurrentAgent() agent: AuthenticatedAgent) {
    await this.assignCase.execute({ caseId: id, assigneeId: body.assigneeId, expectedVersion: body.expectedVersion }, actorOf(agent));
    return this.getCase.execute(id, actorOf(agent));
  }

  @Post(':id/notes')
  @ApiOperation({ summary: 'Add an internal note to the timeline' })
  @ApiCreatedResponse({ type: CreatedNoteDto })
  async note(@Param('id') id: string, @Body() body: NoteDto, @CurrentAgent() agent: AuthenticatedAgent) {
    const noteId = await this.addCaseNote.execute({ caseId: id, body: body.body }, actorOf(agent));
    return { id: noteId };
  }

  @RequireRole('supervisor')
  @Post(':id/effects/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: "Supervisors: run the case's failed effects (e.g. a refund the gateway kept refusing) again; idempotent" })
  @ApiOkResponse({ type: RedrivenDto })
  redrive(@Param('id') id: string) {
    return this.redriveCaseEffects.execute(id);
  }

  @RequireRole('supervisor')
  @Post(':id/deadlines/redrive')
  @HttpCode(200)
  @ApiOperation({
    summary: "Supervisors: put the case's failed deadlines (their job gave up) back on the clock; those the case has moved past are settled as stale instead",
  })
  @ApiOkResponse({ type: DeadlinesRedrivenDto })
  redriveDeadlines(@Param('id') id: string) {
    return this.redriveCaseDeadlines.execute(id);
  }

  @Post(':id/customer-contact/reveal')
  @HttpCode(200)
  @ApiOperation({ summary: "Show the customer's phone, email and WeChat openid in full; every reveal is recorded (who, when, which fields) and shown on the timeline" })
  @ApiOkResponse({ type: RevealedContactDto })
  reveal(@Param('id') id: string, @Body() body: RevealContactDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.revealCustomerContact.execute(id, body.fields, adminAuditActor(agent));
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: 'Every event of the case: who, when, from → to, payload' })
  @ApiOkResponse({ type: [TimelineEntryDto] })
  timeline(@Param('id') id: string) {
    return this.getCaseTimeline.execute(id);
  }
}

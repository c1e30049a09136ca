import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAgent, type AuthenticatedAgent } from '@app/auth';
import { DeleteSavedView, ListSavedViews, SaveView, UpdateSavedView, type SavedViewQuery, type ViewOwner } from '@app/cases';
import { SaveViewDto, UpdateSavedViewDto, type SavedViewQueryDto } from './queue-work.dto';
import { SavedViewDto } from './case-responses.dto';

const ownerOf = (agent: AuthenticatedAgent): ViewOwner => ({ id: agent.id, role: agent.role });
/** Only the parameters given, as plain strings (the DTO instance carries undefined keys). */
const queryOf = (dto: SavedViewQueryDto): SavedViewQuery => Object.fromEntries(Object.entries(dto).filter(([, value]) => typeof value === 'string' && value !== ''));

/** Each agent's named queue views; supervisors may share theirs with the team. */
@ApiTags('saved views')
@ApiBearerAuth()
@Controller('v1/saved-views')
export class SavedViewsController {
  constructor(
    private readonly listSavedViews: ListSavedViews,
    private readonly saveView: SaveView,
    private readonly updateSavedView: UpdateSavedView,
    private readonly deleteSavedView: DeleteSavedView,
  ) {}

  @Get()
  @ApiOperation({ summary: "Your saved views, then the team's shared ones" })
  @ApiOkResponse({ type: [SavedViewDto] })
  list(@CurrentAgent() agent: AuthenticatedAgent) {
    return this.listSavedViews.execute(ownerOf(agent));
  }

  @Post()
  @ApiOperation({ summary: 'Save the queue (tab, filters, sort) under a name; `shared` is for supervisors' })
  @ApiCreatedResponse({ type: SavedViewDto })
  create(@Body() body: SaveViewDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.saveView.execute({ name: body.name, query: queryOf(body.query), shared: body.shared }, ownerOf(agent));
  }

  @Patch(':viewId')
  @ApiOperation({ summary: 'Rename a view of yours, replace its query, or (supervisors) share or unshare it' })
  @ApiOkResponse({ type: SavedViewDto })
  update(@Param('viewId') viewId: string, @Body() body: UpdateSavedViewDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.updateSavedView.execute({ id: viewId, name: body.name, query: body.query && queryOf(body.query), shared: body.shared }, ownerOf(agent));
  }

  @Delete(':viewId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a view of yours' })
  async remove(@Param('viewId') viewId: string, @CurrentAgent() agent: AuthenticatedAgent) {
    await this.deleteSavedView.execute(viewId, ownerOf(agent));
  }
}

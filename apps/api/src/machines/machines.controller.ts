import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, DomainErrorCode, describeCurrentMachine, describeMachineVersion } from '@app/domain';
import { MachineDescriptionDto } from './machine-responses.dto';

/** The machines as data: the admin UI draws statecharts and builds action forms from this. */
@ApiTags('machines')
@ApiBearerAuth()
@Controller('v1/machines')
export class MachinesController {
  @Get(':kind')
  @ApiOperation({ summary: 'The newest version of a kind (what new cases start on); 404 NOT_FOUND if unknown' })
  @ApiOkResponse({ type: MachineDescriptionDto })
  current(@Param('kind') kind: string) {
    return describeCurrentMachine(kind);
  }

  @Get(':kind/:version')
  @ApiOperation({ summary: 'A machine version: states, transitions (deadlines named), event catalogue with payload fields; 404 NOT_FOUND if unknown' })
  @ApiOkResponse({ type: MachineDescriptionDto })
  describe(
    @Param('kind') kind: string,
    // A version that is not a number cannot exist either: answer 404 like any other unknown version.
    @Param('version', new ParseIntPipe({ exceptionFactory: () => new DomainError(DomainErrorCode.NotFound, 'A machine version is a number.') }))
    version: number,
  ) {
    return describeMachineVersion(kind, version);
  }
}

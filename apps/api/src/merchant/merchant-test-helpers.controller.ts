import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdvanceTestClock, CreateTestClock, CurrentMerchant, GetTestClock, ListTestClocks, OpenTestCase, type AuthenticatedMerchant } from '@app/merchants';
import { Idempotent, MerchantApi } from './merchant-api';
import { AdvanceTestClockDto, CreateTestCaseDto, CreateTestClockDto } from './merchant-test-helpers.dto';
import { MerchantDisputeResponse, TestClockListResponse, TestClockResponse, TestRefundRequestResponse } from './merchant-responses.dto';

/**
 * Test mode's helpers (Stripe's `test_helpers`), for test keys only: a live key is a 403
 * TEST_MODE_ONLY. Test clocks move a test case's time; simulated disputes and refund requests
 * arrive as a customer's would, on a simulated payment that never reaches the wallet.
 */
@ApiTags('merchant: test mode')
@MerchantApi()
@Controller('v1/merchant/test_helpers')
export class MerchantTestHelpersController {
  constructor(
    private readonly createClock: CreateTestClock,
    private readonly getClock: GetTestClock,
    private readonly listClocks: ListTestClocks,
    private readonly advanceClock: AdvanceTestClock,
    private readonly openTestCase: OpenTestCase,
  ) {}

  @Post('test_clocks')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Create a test clock, frozen at frozen_time' })
  @ApiOkResponse({ type: TestClockResponse })
  create(@Body() body: CreateTestClockDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.createClock.execute(merchant, { frozenTime: body.frozen_time, name: body.name });
  }

  @Get('test_clocks')
  @ApiOperation({ summary: 'Your test clocks, newest first' })
  @ApiOkResponse({ type: TestClockListResponse })
  list(@CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.listClocks.execute(merchant);
  }

  @Get('test_clocks/:id')
  @ApiOperation({ summary: 'A test clock' })
  @ApiOkResponse({ type: TestClockResponse })
  get(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.getClock.execute(merchant, id);
  }

  @Post('test_clocks/:id/advance')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Move the clock forward to frozen_time; every deadline of its cases that it passes fires, oldest first, before the answer' })
  @ApiOkResponse({ type: TestClockResponse })
  advance(@Param('id') id: string, @Body() body: AdvanceTestClockDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.advanceClock.execute(merchant, id, body.frozen_time);
  }

  @Post('disputes')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Simulate a dispute on a new test payment; it arrives as needs_response' })
  @ApiOkResponse({ type: MerchantDisputeResponse })
  dispute(@Body() body: CreateTestCaseDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.openTestCase.dispute(merchant, this.commandOf(body));
  }

  @Post('refund_requests')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Simulate a refund request on a new test payment; it waits for your answer' })
  @ApiOkResponse({ type: TestRefundRequestResponse })
  refundRequest(@Body() body: CreateTestCaseDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.openTestCase.refundRequest(merchant, this.commandOf(body));
  }

  private commandOf(body: CreateTestCaseDto) {
    return { amountMinor: body.amount, currency: body.currency ?? 'CNY', reason: body.reason, testClockId: body.test_clock ?? null, purchasedAt: body.purchased_at ?? null };
  }
}

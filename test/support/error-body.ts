/**
 * An error body without its `requestId`, which differs from request to request: for comparing the
 * answers of two requests (a refusal must look the same whichever of two cases it was about).
 */
export function withoutRequestId(body: Record<string, unknown>): Record<string, unknown> {
  const { requestId, ...rest } = body;
  expect(requestId).toEqual(expect.any(String));
  return rest;
}

/**
 * The methods the test server may serve on its lean path (see fast-unary.ts), described
 * without any Node import, so that the service code the msw handlers share stays free of
 * one.
 *
 * @module
 */

import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";

/** One unary method served on the lean path. */
export interface FastUnary<
  I extends DescMessage = DescMessage,
  O extends DescMessage = DescMessage,
> {
  readonly input: I;
  readonly output: O;
  call(request: MessageShape<I>): Promise<MessageInitShape<O>>;
}

/** A typed route, stored beside routes of other message types. */
export function fastUnary<I extends DescMessage, O extends DescMessage>(
  input: I,
  output: O,
  call: (request: MessageShape<I>) => Promise<MessageInitShape<O>>,
): FastUnary {
  // Function parameters are contravariant: a route of one request type is not a route of
  // any request type to the compiler, though the server always passes the right one.
  return { input, output, call } as unknown as FastUnary;
}

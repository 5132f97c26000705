/**
 * The part of oidc-provider's API the tests use; the package ships no type declarations.
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  /** The Koa context, as far as the tests' middleware reads and writes it. */
  export interface ProviderContext {
    readonly path: string;
    readonly method: string;
    readonly headers: Readonly<Record<string, string | undefined>>;
    status: number;
    body: unknown;
    readonly oidc?: { readonly params?: Readonly<Record<string, unknown>> };
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
  }
  export default Provider;
}

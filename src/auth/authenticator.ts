/**
 * What `createClient({ auth })` takes. The client defines the contract it consumes (so that
 * it never imports this folder); every authenticator here implements it.
 *
 * @module
 */

export {
  type Authenticator,
  isAuthenticator,
  type TokenRequest,
} from "../client/token.js";

/**
 * `createClientFromConfig()`: a client for the cluster the Flyte config file describes,
 * found and read as the Python `flyte` CLI does.
 *
 * @module
 */

import type { ClientOptions, FlyteClient } from "../client/index.js";
import { createClient } from "../index.node.js";
import type { TlsOptions } from "../transport/connections.js";
import {
  authFromConfig,
  type ConfigAuthOptions,
  endpointFromConfig,
  tlsFromConfig,
} from "./auth-from-config.js";
import { type FlyteConfig, type LoadConfigOptions, loadFlyteConfig } from "./read-config.js";

/** Options of {@link clientOptionsFromConfig} and {@link createClientFromConfig}. */
export interface ClientFromConfigOptions extends LoadConfigOptions, ConfigAuthOptions {
  /**
   * The explicit config file (`--config`); without it the default locations are searched.
   * Same as `path`.
   */
  config?: string | undefined;
  /** Client options that win over the config (for example from command-line flags). */
  client?: ClientOptions | undefined;
}

/** What a config gives a client, with the config itself. */
export interface ClientSettings {
  readonly config: FlyteConfig;
  /** The options for `createClient`. */
  readonly options: ClientOptions;
  /**
   * The cluster's TLS settings (`admin.caCertFilePath`, `admin.insecureSkipVerify`), also in
   * `options.tls`: the connection to the cluster and the identity provider's calls use them.
   */
  readonly tls?: TlsOptions | undefined;
}

/**
 * Reads the config and builds the client options: endpoint, org, project and domain from the
 * file (overridden by `FLYTE_*` variables, then by `options.client`), and the authenticator
 * from `FLYTE_API_KEY`, `UNION_API_KEY` or `admin.authType`.
 */
export async function clientOptionsFromConfig(
  options: ClientFromConfigOptions = {},
): Promise<ClientSettings> {
  const config = await loadFlyteConfig({ ...options, path: options.config ?? options.path });
  const explicit = options.client ?? {};
  const auth =
    explicit.auth ??
    (explicit.token === undefined ? await authFromConfig(config, options) : undefined);
  const endpoint = explicit.endpoint ?? auth?.endpoint ?? endpointFromConfig(config);
  const tls = tlsFromConfig(config);
  const clientOptions: ClientOptions = {
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(config.org === undefined ? {} : { org: config.org }),
    ...(config.project === undefined ? {} : { project: config.project }),
    ...(config.domain === undefined ? {} : { domain: config.domain }),
    ...(auth === undefined ? {} : { auth }),
    ...(tls === undefined ? {} : { tls }),
    ...explicit,
  };
  return { config, options: clientOptions, ...(tls === undefined ? {} : { tls }) };
}

/**
 * A client for the cluster of the Flyte config file: the same files in the same order as
 * `flyte` (an explicit path, `./config.yaml`, `./.flyte/config.yaml`, the git root's
 * `.flyte/config.yaml`, `$UCTL_CONFIG`, `$FLYTECTL_CONFIG`, `~/.union/config.yaml`,
 * `~/.flyte/config.yaml`), the same keys and the same `FLYTE_*` overrides. A malformed file
 * or an unknown `admin.authType` is an `InitializationError` naming the file and the key.
 */
export async function createClientFromConfig(
  options: ClientFromConfigOptions = {},
): Promise<FlyteClient> {
  return createClient((await clientOptionsFromConfig(options)).options);
}

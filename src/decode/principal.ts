/**
 * A readable name for whoever did something, from an EnrichedIdentity.
 *
 * People recognise an email before a subject id, and an application by its name; the
 * subject is the fallback because it is always there.
 */

import type { EnrichedIdentity } from "../gen/flyteidl2/common/identity_pb.js";

/**
 * The user's email, else the user's subject, else the application's name, else the
 * application's subject; undefined when the identity names nobody.
 */
export function principalName(identity: EnrichedIdentity | undefined): string | undefined {
  const principal = identity?.principal;
  if (principal?.case === "user") {
    return nonEmpty(principal.value.spec?.email) ?? nonEmpty(principal.value.id?.subject);
  }
  if (principal?.case === "application") {
    return nonEmpty(principal.value.spec?.name) ?? nonEmpty(principal.value.id?.subject);
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

// Run with `node --experimental-vm-modules vm-realm.mjs <index.js URL>`. Loads one copy of
// the built errors module in this realm and another inside a node:vm context, then prints
// the outcome of each cross-realm check as JSON for the test to assert on.

import { readFile } from "node:fs/promises";
import { inspect } from "node:util";
import vm from "node:vm";

const indexUrl = process.argv[2];
const host = await import(indexUrl);

const context = vm.createContext({});
const modules = new Map();
async function load(url) {
  let mod = modules.get(url);
  if (mod === undefined) {
    mod = new vm.SourceTextModule(await readFile(new URL(url), "utf8"), {
      context,
      identifier: url,
      initializeImportMeta(meta) {
        meta.url = url;
      },
    });
    modules.set(url, mod);
  }
  return mod;
}
const root = await load(indexUrl);
await root.link((specifier, referencing) => load(new URL(specifier, referencing.identifier).href));
await root.evaluate();
const guest = root.namespace;

const guestOom = new guest.OOMError({ message: "guest ran out of memory", worker: "w" });
const hostAuth = new host.AuthenticationError();
const guestTypeError = vm.runInContext('new TypeError("from the vm")', context);
const guestLookalike = vm.runInContext(
  '({ name: "OOMError", code: "OOMKilled", kind: "user", retryable: false, message: "m" })',
  context,
);
const guestFakeBrand = vm.runInContext(
  'const e = new Error("x"); e[Symbol("flyte-remote.error")] = ["OOMError", "FlyteError"]; e',
  context,
);
const revived = host.FlyteError.fromJSON(JSON.parse(JSON.stringify(guestOom)));

const results = {
  realmsDiffer: !(guestOom instanceof Error),
  classesDiffer: guest.OOMError !== host.OOMError,
  hostIsFlyteError: host.isFlyteError(guestOom),
  hostInstanceofOom: guestOom instanceof host.OOMError,
  hostInstanceofUser: guestOom instanceof host.RuntimeUserError,
  hostInstanceofBase: guestOom instanceof host.BaseRuntimeError,
  hostInstanceofRoot: guestOom instanceof host.FlyteError,
  hostInstanceofSystem: guestOom instanceof host.RuntimeSystemError,
  hostInstanceofCustom: guestOom instanceof host.CustomError,
  guestIsFlyteError: guest.isFlyteError(hostAuth),
  guestInstanceofRpc: hostAuth instanceof guest.UnionRpcError,
  guestInstanceofOom: hostAuth instanceof guest.OOMError,
  lookalikeRejected:
    !host.isFlyteError(guestLookalike) && !(guestLookalike instanceof host.OOMError),
  fakeBrandRejected:
    !host.isFlyteError(guestFakeBrand) && !(guestFakeBrand instanceof host.FlyteError),
  fromExceptionKeeps: host.CustomError.fromException(guestOom) === guestOom,
  foreignErrorCode: host.CustomError.fromException(guestTypeError).code,
  revivedClass: revived instanceof host.OOMError && revived.worker === "w",
  inspectFirstLine: inspect(guestOom).split("\n")[0],
  problemStatus: host.OOMError.prototype.toProblemDetails.call(guestOom).status,
};
process.stdout.write(JSON.stringify(results));

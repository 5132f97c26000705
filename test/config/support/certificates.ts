/**
 * A private CA and a server certificate it signed, made with the system's openssl, for
 * clusters whose identity provider is not trusted by the system's CAs.
 */

import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PrivateCa {
  readonly dir: string;
  /** PEM files. */
  readonly caCertFile: string;
  readonly key: string;
  readonly cert: string;
  close(): Promise<void>;
}

/** A CA, and a certificate for 127.0.0.1 and localhost signed by it; valid for a day. */
export async function makePrivateCa(): Promise<PrivateCa> {
  const dir = await mkdtemp(join(tmpdir(), "flyte-remote-ca-"));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=flyte-remote test CA",
    "-keyout",
    at("ca.key"),
    "-out",
    at("ca.pem"),
  );
  openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    at("server.key"),
    "-out",
    at("server.csr"),
  );
  await writeFile(at("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  openssl(
    "x509",
    "-req",
    "-in",
    at("server.csr"),
    "-CA",
    at("ca.pem"),
    "-CAkey",
    at("ca.key"),
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    at("ext.cnf"),
    "-out",
    at("server.pem"),
  );
  return {
    dir,
    caCertFile: at("ca.pem"),
    key: await readFile(at("server.key"), "utf8"),
    cert: await readFile(at("server.pem"), "utf8"),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

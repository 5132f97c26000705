import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type DescFile, fromBinary, isFieldSet } from "@bufbuild/protobuf";
import { protoCamelCase } from "@bufbuild/protobuf/reflect";
import { base64Decode } from "@bufbuild/protobuf/wire";
import * as wkt from "@bufbuild/protobuf/wkt";
import {
  type DescriptorProto,
  FieldDescriptorProtoSchema,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";

/** Repository root, so the loaders work whatever directory vitest was started from. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where the official generated schema (the oracle) is installed. */
export const oracleRoot = join(repoRoot, "node_modules", "@flyteorg", "flyteidl2");

/** Our generated stubs. */
export const ourGenRoot = join(repoRoot, "src", "gen");

/** Our hand-written proto sources. */
export const ourProtoRoot = join(repoRoot, "proto");

/** Every file below `dir` whose name ends with `suffix`, as absolute paths, sorted. */
export function listFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, suffix));
    else if (entry.name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

/** Names of the `.proto` files in our `proto/` folder, relative and with forward slashes. */
export function ourProtoFileNames(): string[] {
  return listFiles(ourProtoRoot, ".proto").map((p) =>
    relative(ourProtoRoot, p).split(sep).join("/"),
  );
}

// protoc-gen-es writes `fileDesc("<base64>")` or `fileDesc("<base64>", [file_a, file_b])`.
const fileDescCall = /fileDesc\("([A-Za-z0-9+/=_-]+)"(?:,\s*\[([^\]]*)\])?\)/;
// Value imports (not `import type`) that bring `file_*` descriptors into scope.
const valueImport = /^import\s*\{([^}]*)\}\s*from\s*"([^"]+)";/gm;

/**
 * Decodes the `FileDescriptorProto` that a protobuf-es generated `_pb.ts` file embeds, reading
 * the file as text so that the oracle's TypeScript never has to be compiled.
 *
 * protobuf-es strips `dependency` and default `json_name`s before embedding; the runtime puts
 * them back (the import list from the second argument of `fileDesc`). We do the same, following
 * the `file_*` identifiers to the modules they are imported from, so that the result equals the
 * runtime's `DescFile.proto` and a registry built from it finds every import and JSON name.
 */
export function decodeEmbeddedFile(tsPath: string, genRoot: string): FileDescriptorProto {
  const text = readFileSync(tsPath, "utf8");
  const call = fileDescCall.exec(text);
  if (!call?.[1]) throw new Error(`no fileDesc("...") call in ${tsPath}`);
  const file = fromBinary(FileDescriptorProtoSchema, base64Decode(call[1]));
  const expectedName = relative(genRoot, tsPath)
    .split(sep)
    .join("/")
    .replace(/_pb\.ts$/, ".proto");
  if (file.name !== expectedName) {
    throw new Error(`${tsPath} embeds ${file.name}, expected ${expectedName}`);
  }

  file.messageType.forEach(restoreJsonNames);

  const importedFrom = new Map<string, string>();
  for (const m of text.matchAll(valueImport)) {
    const names = m[1] ?? "";
    const from = m[2] ?? "";
    for (const name of names.split(",").map((s) => s.trim())) {
      if (name.startsWith("file_")) importedFrom.set(name, from);
    }
  }
  const deps = (call[2] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  file.dependency = deps.map((ident) => {
    const from = importedFrom.get(ident);
    if (from === undefined) throw new Error(`${tsPath}: cannot see where ${ident} comes from`);
    if (from.startsWith(".")) {
      const fromDir = posix.dirname(file.name);
      return posix.normalize(posix.join(fromDir, from)).replace(/_pb\.(ts|js)$/, ".proto");
    }
    const wktFile = (wkt as Record<string, unknown>)[ident];
    if (isDescFile(wktFile)) return wktFile.proto.name;
    throw new Error(`${tsPath}: ${ident} is imported from ${from}, which is not resolvable`);
  });
  return file;
}

function restoreJsonNames(message: DescriptorProto): void {
  for (const f of message.field) {
    if (!isFieldSet(f, FieldDescriptorProtoSchema.field.jsonName))
      f.jsonName = protoCamelCase(f.name);
  }
  message.nestedType.forEach(restoreJsonNames);
}

function isDescFile(value: unknown): value is DescFile {
  return (
    typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "file"
  );
}

/** All descriptors embedded below `genRoot`, keyed by proto file name. */
export function loadEmbeddedFiles(genRoot: string): Map<string, FileDescriptorProto> {
  const files = new Map<string, FileDescriptorProto>();
  for (const path of listFiles(genRoot, "_pb.ts")) {
    const file = decodeEmbeddedFile(path, genRoot);
    files.set(file.name, file);
  }
  return files;
}

/** The official flyteidl2 2.x descriptors, decoded from `@flyteorg/flyteidl2`. */
export function loadOracleFiles(): Map<string, FileDescriptorProto> {
  return loadEmbeddedFiles(oracleRoot);
}

/** Our descriptors, decoded from `src/gen` exactly the way the oracle's are. */
export function loadOurFiles(): Map<string, FileDescriptorProto> {
  return loadEmbeddedFiles(ourGenRoot);
}

/**
 * The well-known types that both schemas import from `@bufbuild/protobuf/wkt` instead of
 * shipping them, keyed by proto file name.
 */
export function wellKnownFiles(): Map<string, DescFile> {
  const out = new Map<string, DescFile>();
  for (const value of Object.values(wkt)) {
    if (isDescFile(value)) out.set(value.proto.name, value);
  }
  return out;
}

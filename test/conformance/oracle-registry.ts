import {
  create,
  createFileRegistry,
  type DescMessage,
  type FileRegistry,
} from "@bufbuild/protobuf";
import { type FileDescriptorProto, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { loadOracleFiles, wellKnownFiles } from "./embedded-descriptors.js";

/**
 * A protobuf-es registry of the official schema, built from the oracle's embedded descriptors,
 * so tests can encode and decode with upstream's types without compiling its TypeScript.
 * Imports are resolved from the oracle package itself (flyteidl2, buf/validate, google/api,
 * google/rpc) and from `@bufbuild/protobuf/wkt` for google/protobuf.
 */
export function createOracleRegistry(
  roots: readonly string[],
  oracle: ReadonlyMap<string, FileDescriptorProto> = loadOracleFiles(),
): FileRegistry {
  const wellKnown = wellKnownFiles();
  const lookup = (name: string) => oracle.get(name) ?? wellKnown.get(name)?.proto;
  // A descriptor set must list every file after its imports; order them depth first.
  const ordered: FileDescriptorProto[] = [];
  const visited = new Set<string>();
  const visit = (name: string, importedBy: string) => {
    if (visited.has(name)) return;
    visited.add(name);
    const file = lookup(name);
    if (!file) throw new Error(`cannot resolve ${name}, imported by ${importedBy}`);
    for (const dep of file.dependency) visit(dep, name);
    ordered.push(file);
  };
  for (const root of roots) visit(root, "(root)");
  return createFileRegistry(create(FileDescriptorSetSchema, { file: ordered }));
}

/** Looks a message up in a registry, failing loudly rather than returning undefined. */
export function requireMessage(registry: FileRegistry, typeName: string): DescMessage {
  const desc = registry.getMessage(typeName);
  if (!desc) throw new Error(`${typeName} is not in the registry`);
  return desc;
}

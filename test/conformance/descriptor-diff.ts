import { isFieldSet } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  type FileDescriptorProto,
  MethodOptions_IdempotencyLevel,
  type ServiceDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import type { NewerMember } from "./newer-than-oracle.js";

/**
 * What one comparison of our descriptors with upstream's found.
 *
 * `checked` lists the full names that were compared with an upstream counterpart, `allowed` the
 * ones that are missing upstream but listed in the allow-list. Together they must cover every
 * declared member; the tests assert that, so nothing is skipped silently.
 */
export interface DiffReport {
  /** One readable line per incompatibility, sorted; empty when we are a wire-compatible subset. */
  readonly mismatches: string[];
  /** Differences that are not incompatibilities (omitted options), for the record. */
  readonly advisories: string[];
  readonly checked: MemberNames;
  readonly allowed: MemberNames;
  /** Allow-list entries that upstream has meanwhile gained (or that matched nothing). */
  readonly staleAllowances: string[];
}

/** Full names per kind of member. */
export interface MemberNames {
  files: string[];
  messages: string[];
  fields: string[];
  oneofs: string[];
  enums: string[];
  enumValues: string[];
  services: string[];
  rpcs: string[];
}

function emptyNames(): MemberNames {
  return {
    files: [],
    messages: [],
    fields: [],
    oneofs: [],
    enums: [],
    enumValues: [],
    services: [],
    rpcs: [],
  };
}

interface Located<T> {
  readonly proto: T;
  readonly file: string;
}

/** Upstream's declarations by full name (no leading dot). */
export interface SchemaIndex {
  readonly files: ReadonlyMap<string, FileDescriptorProto>;
  readonly messages: ReadonlyMap<string, Located<DescriptorProto>>;
  readonly enums: ReadonlyMap<string, Located<EnumDescriptorProto>>;
  readonly services: ReadonlyMap<string, Located<ServiceDescriptorProto>>;
}

/** Indexes every message (nested too), enum and service of a set of files by full name. */
export function indexSchema(files: Iterable<FileDescriptorProto>): SchemaIndex {
  const fileMap = new Map<string, FileDescriptorProto>();
  const messages = new Map<string, Located<DescriptorProto>>();
  const enums = new Map<string, Located<EnumDescriptorProto>>();
  const services = new Map<string, Located<ServiceDescriptorProto>>();
  const addMessage = (file: string, scope: string, m: DescriptorProto) => {
    const name = `${scope}${m.name}`;
    messages.set(name, { proto: m, file });
    for (const e of m.enumType) enums.set(`${name}.${e.name}`, { proto: e, file });
    for (const n of m.nestedType) addMessage(file, `${name}.`, n);
  };
  for (const f of files) {
    fileMap.set(f.name, f);
    const scope = f.package ? `${f.package}.` : "";
    for (const m of f.messageType) addMessage(f.name, scope, m);
    for (const e of f.enumType) enums.set(`${scope}${e.name}`, { proto: e, file: f.name });
    for (const s of f.service) services.set(`${scope}${s.name}`, { proto: s, file: f.name });
  }
  return { files: fileMap, messages, enums, services };
}

/** The wire-relevant shape of a field, in words, so differences read well. */
interface FieldShape {
  number: number;
  type: string;
  typeName: string;
  label: string;
  proto3Optional: boolean;
  oneof: string;
  map: string;
}

const shapeKeys: readonly (keyof FieldShape)[] = [
  "number",
  "type",
  "typeName",
  "label",
  "proto3Optional",
  "oneof",
  "map",
];

function stripDot(typeName: string): string {
  return typeName.startsWith(".") ? typeName.slice(1) : typeName;
}

function oneofOf(message: DescriptorProto, field: FieldDescriptorProto): string {
  // FieldDescriptorProto is proto2: index 0 and "not in a oneof" differ only in presence.
  if (!isFieldSet(field, FieldDescriptorProtoSchema.field.oneofIndex)) return "(none)";
  const decl = message.oneofDecl[field.oneofIndex];
  if (!decl) return `(dangling oneof index ${field.oneofIndex})`;
  return field.proto3Optional ? `${decl.name} (synthetic)` : decl.name;
}

function mapShape(schema: SchemaIndex, field: FieldDescriptorProto): string {
  if (field.type !== FieldDescriptorProto_Type.MESSAGE) return "no";
  const entry = schema.messages.get(stripDot(field.typeName))?.proto;
  if (!entry?.options?.mapEntry) return "no";
  const describe = (f: FieldDescriptorProto | undefined) =>
    f === undefined
      ? "?"
      : f.typeName
        ? stripDot(f.typeName)
        : (FieldDescriptorProto_Type[f.type] ?? String(f.type));
  const key = entry.field.find((f) => f.number === 1);
  const value = entry.field.find((f) => f.number === 2);
  return `map<${describe(key)}, ${describe(value)}>`;
}

function fieldShape(
  schema: SchemaIndex,
  message: DescriptorProto,
  field: FieldDescriptorProto,
): FieldShape {
  return {
    number: field.number,
    type: FieldDescriptorProto_Type[field.type] ?? String(field.type),
    typeName: stripDot(field.typeName) || "(scalar)",
    label: FieldDescriptorProto_Label[field.label] ?? String(field.label),
    proto3Optional: field.proto3Optional,
    oneof: oneofOf(message, field),
    map: mapShape(schema, field),
  };
}

function byName<T extends { name: string }>(items: readonly T[], name: string): T | undefined {
  return items.find((i) => i.name === name);
}

/**
 * Compares our descriptors with upstream's. Our files may omit anything; whatever they declare
 * must exist upstream under the same full name with the same wire shape, unless `allowNewer`
 * lists it.
 */
export function diffDescriptors(
  ours: Iterable<FileDescriptorProto>,
  upstream: Iterable<FileDescriptorProto>,
  allowNewer: readonly NewerMember[] = [],
): DiffReport {
  const oursList = [...ours];
  const ourIndex = indexSchema(oursList);
  const up = indexSchema(upstream);
  const mismatches: string[] = [];
  const advisories: string[] = [];
  const checked = emptyNames();
  const allowed = emptyNames();
  const usedAllowances = new Set<NewerMember>();
  const allowance = (kind: NewerMember["kind"], fullName: string) =>
    allowNewer.find((a) => a.kind === kind && a.fullName === fullName);

  const checkEnum = (fullName: string, ours: EnumDescriptorProto) => {
    const upstreamEnum = up.enums.get(fullName)?.proto;
    if (!upstreamEnum) {
      mismatches.push(`enum ${fullName}: missing upstream`);
      return;
    }
    checked.enums.push(fullName);
    for (const v of ours.value) {
      const valueName = `${fullName}.${v.name}`;
      const upValue = byName(upstreamEnum.value, v.name);
      if (upValue) {
        checked.enumValues.push(valueName);
        if (upValue.number !== v.number) {
          mismatches.push(
            `enum value ${valueName}: number ours ${v.number}, upstream ${upValue.number}`,
          );
        }
        continue;
      }
      const allow = allowance("enumValue", valueName);
      if (allow?.kind === "enumValue") {
        usedAllowances.add(allow);
        allowed.enumValues.push(valueName);
        if (allow.number !== v.number) {
          mismatches.push(
            `enum value ${valueName}: allowed as ${allow.number}, ours is ${v.number}`,
          );
        }
        const clash = upstreamEnum.value.find((u) => u.number === v.number);
        if (clash) {
          mismatches.push(`enum value ${valueName}: upstream uses ${v.number} for ${clash.name}`);
        }
        continue;
      }
      const sameNumber = upstreamEnum.value.find((u) => u.number === v.number);
      mismatches.push(
        `enum value ${valueName}: missing upstream` +
          (sameNumber ? ` (upstream calls ${v.number} ${sameNumber.name})` : ""),
      );
    }
  };

  const checkField = (
    messageName: string,
    ourMsg: DescriptorProto,
    upMsg: DescriptorProto,
    field: FieldDescriptorProto,
  ) => {
    const fieldName = `${messageName}.${field.name}`;
    const ours = fieldShape(ourIndex, ourMsg, field);
    const upField = byName(upMsg.field, field.name);
    if (!upField) {
      const allow = allowance("field", fieldName);
      if (allow?.kind === "field") {
        usedAllowances.add(allow);
        allowed.fields.push(fieldName);
        const ourOneof = ours.oneof === "(none)" ? undefined : ours.oneof;
        if (allow.number !== field.number || allow.oneof !== ourOneof) {
          mismatches.push(
            `field ${fieldName}: allowed as ${allow.number} in oneof ${allow.oneof ?? "(none)"}, ours is ${field.number} in ${ours.oneof}`,
          );
        }
        const clash = upMsg.field.find((u) => u.number === field.number);
        if (clash) {
          mismatches.push(`field ${fieldName}: upstream uses ${field.number} for ${clash.name}`);
        }
        if (ourOneof !== undefined && !byName(upMsg.oneofDecl, ourOneof)) {
          mismatches.push(`field ${fieldName}: oneof ${ourOneof} does not exist upstream`);
        }
        return;
      }
      const sameNumber = upMsg.field.find((u) => u.number === field.number);
      mismatches.push(
        `field ${fieldName}: missing upstream` +
          (sameNumber ? ` (upstream calls ${field.number} ${sameNumber.name})` : ""),
      );
      return;
    }
    checked.fields.push(fieldName);
    const theirs = fieldShape(up, upMsg, upField);
    for (const key of shapeKeys) {
      if (ours[key] !== theirs[key]) {
        mismatches.push(`field ${fieldName}: ${key} ours ${ours[key]}, upstream ${theirs[key]}`);
      }
    }
  };

  const checkMessage = (fullName: string, ours: DescriptorProto) => {
    const upMsg = up.messages.get(fullName)?.proto;
    if (!upMsg) {
      const allow = allowance("message", fullName);
      if (allow) {
        usedAllowances.add(allow);
        allowed.messages.push(fullName);
        // Nothing upstream to compare with; count what it declares so coverage stays exact.
        for (const f of ours.field) allowed.fields.push(`${fullName}.${f.name}`);
        for (const o of ours.oneofDecl) allowed.oneofs.push(`${fullName}.${o.name}`);
        for (const n of ours.nestedType) checkMessage(`${fullName}.${n.name}`, n);
        for (const e of ours.enumType) checkEnum(`${fullName}.${e.name}`, e);
        return;
      }
      mismatches.push(`message ${fullName}: missing upstream`);
      return;
    }
    checked.messages.push(fullName);
    if (Boolean(ours.options?.mapEntry) !== Boolean(upMsg.options?.mapEntry)) {
      mismatches.push(`message ${fullName}: map entry ours ${Boolean(ours.options?.mapEntry)}`);
    }
    for (const o of ours.oneofDecl) {
      const oneofName = `${fullName}.${o.name}`;
      if (!byName(upMsg.oneofDecl, o.name)) {
        mismatches.push(`oneof ${oneofName}: missing upstream`);
      } else {
        checked.oneofs.push(oneofName);
      }
    }
    for (const f of ours.field) checkField(fullName, ours, upMsg, f);
    for (const n of ours.nestedType) checkMessage(`${fullName}.${n.name}`, n);
    for (const e of ours.enumType) checkEnum(`${fullName}.${e.name}`, e);
  };

  const checkService = (fullName: string, ours: ServiceDescriptorProto) => {
    const upService = up.services.get(fullName)?.proto;
    if (!upService) {
      mismatches.push(`service ${fullName}: missing upstream`);
      return;
    }
    checked.services.push(fullName);
    for (const m of ours.method) {
      const rpcName = `${fullName}.${m.name}`;
      const upMethod = byName(upService.method, m.name);
      if (!upMethod) {
        mismatches.push(`rpc ${rpcName}: missing upstream`);
        continue;
      }
      checked.rpcs.push(rpcName);
      const pairs: [string, string | boolean, string | boolean][] = [
        ["input", stripDot(m.inputType), stripDot(upMethod.inputType)],
        ["output", stripDot(m.outputType), stripDot(upMethod.outputType)],
        ["client streaming", m.clientStreaming, upMethod.clientStreaming],
        ["server streaming", m.serverStreaming, upMethod.serverStreaming],
      ];
      for (const [what, a, b] of pairs) {
        if (a !== b) mismatches.push(`rpc ${rpcName}: ${what} ours ${a}, upstream ${b}`);
      }
      // Leaving the option out only loses Connect GET support; declaring a different level
      // would make clients use GET where the server refuses it (or the reverse).
      const ourLevel =
        m.options?.idempotencyLevel ?? MethodOptions_IdempotencyLevel.IDEMPOTENCY_UNKNOWN;
      const upLevel =
        upMethod.options?.idempotencyLevel ?? MethodOptions_IdempotencyLevel.IDEMPOTENCY_UNKNOWN;
      if (ourLevel !== upLevel) {
        const line = `rpc ${rpcName}: idempotency_level ours ${MethodOptions_IdempotencyLevel[ourLevel]}, upstream ${MethodOptions_IdempotencyLevel[upLevel]}`;
        if (ourLevel === MethodOptions_IdempotencyLevel.IDEMPOTENCY_UNKNOWN) advisories.push(line);
        else mismatches.push(line);
      }
    }
  };

  for (const file of oursList) {
    const upFile = up.files.get(file.name);
    if (!upFile) {
      mismatches.push(`file ${file.name}: missing upstream`);
    } else {
      checked.files.push(file.name);
      if (upFile.package !== file.package) {
        mismatches.push(
          `file ${file.name}: package ours ${file.package}, upstream ${upFile.package}`,
        );
      }
      if ((upFile.syntax || "proto2") !== (file.syntax || "proto2")) {
        mismatches.push(`file ${file.name}: syntax ours ${file.syntax}, upstream ${upFile.syntax}`);
      }
    }
    const scope = file.package ? `${file.package}.` : "";
    for (const m of file.messageType) checkMessage(`${scope}${m.name}`, m);
    for (const e of file.enumType) checkEnum(`${scope}${e.name}`, e);
    for (const s of file.service) checkService(`${scope}${s.name}`, s);
  }

  // Placement matters for imports only, but a subset that moves declarations between files
  // is not the same schema; report it.
  for (const [name, { file }] of ourIndex.messages) {
    const upFile = up.messages.get(name)?.file;
    if (upFile !== undefined && upFile !== file) {
      mismatches.push(`message ${name}: declared in ${file}, upstream in ${upFile}`);
    }
  }
  for (const [name, { file }] of ourIndex.enums) {
    const upFile = up.enums.get(name)?.file;
    if (upFile !== undefined && upFile !== file) {
      mismatches.push(`enum ${name}: declared in ${file}, upstream in ${upFile}`);
    }
  }

  const staleAllowances = allowNewer
    .filter((a) => !usedAllowances.has(a))
    .map((a) => `${a.kind} ${a.fullName}: allowed as newer than the oracle, but not needed`);

  // Sorted, so that reports are stable and read by kind then name.
  return {
    mismatches: mismatches.sort(),
    advisories: advisories.sort(),
    checked,
    allowed,
    staleAllowances,
  };
}

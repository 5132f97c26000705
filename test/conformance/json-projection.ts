import type { DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Keeps only the parts of a proto3 JSON value that `desc` (our subset) knows, and records the
 * paths it dropped. Comparing upstream's JSON projected this way with our JSON compares exactly
 * the fields both schemas know, and the dropped paths say which ones only upstream knows.
 */
export function projectJson(
  desc: DescMessage,
  json: JsonValue,
  dropped: string[] = [],
  path = "",
): JsonValue {
  // Well-known types have their own JSON forms (strings for Timestamp, ...); keep them whole.
  if (!isObject(json) || desc.typeName.startsWith("google.protobuf.")) return json;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    const field = desc.fields.find((f) => f.jsonName === key);
    const here = path ? `${path}.${key}` : key;
    if (!field || value === undefined) {
      dropped.push(here);
      continue;
    }
    if (field.fieldKind === "message") {
      out[key] = projectJson(field.message, value, dropped, here);
    } else if (field.fieldKind === "list" && field.listKind === "message" && Array.isArray(value)) {
      out[key] = value.map((v, i) => projectJson(field.message, v, dropped, `${here}[${i}]`));
    } else if (field.fieldKind === "map" && field.mapKind === "message" && isObject(value)) {
      const entries = Object.entries(value).map(([k, v]) => [
        k,
        v === undefined ? null : projectJson(field.message, v, dropped, `${here}.${k}`),
      ]);
      out[key] = Object.fromEntries(entries) as JsonObject;
    } else {
      out[key] = value;
    }
  }
  return out;
}

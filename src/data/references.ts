/**
 * Files, directories, datasets and offloaded values are references: a task's outputs can be
 * gigabytes in an object store, and reading a run's results must not download them. Each is
 * a small immutable class, so `instanceof` tells a reference from a map that happens to have
 * a `uri` key, and `JSON.stringify` writes its fields.
 */

/** A file in an object store: a Flyte `Blob` of dimensionality SINGLE (`flyte.io.File`). */
export class FileRef {
  readonly kind = "file";
  /** Where the file is, e.g. `s3://bucket/path/model.pt`. */
  readonly uri: string;
  /** The declared format (`"pt"`, `"csv"`, `"PythonPickle"`…); empty when the task gave none. */
  readonly format: string;
  constructor(uri: string, format = "") {
    this.uri = uri;
    this.format = format;
    Object.freeze(this);
  }
}

/** A directory in an object store: a Flyte `Blob` of dimensionality MULTIPART (`flyte.io.Dir`). */
export class DirectoryRef {
  readonly kind = "directory";
  readonly uri: string;
  readonly format: string;
  constructor(uri: string, format = "") {
    this.uri = uri;
    this.format = format;
    Object.freeze(this);
  }
}

/** One column of a {@link DatasetRef}, with its Flyte type in words (`"int"`, `"list[str]"`). */
export interface DatasetColumn {
  readonly name: string;
  readonly type: string;
}

/** A dataframe or table in an object store: a Flyte `StructuredDataset` (`flyte.io.DataFrame`). */
export class DatasetRef {
  readonly kind = "dataset";
  readonly uri: string;
  /** `"parquet"` by default in Flyte; empty when the producer did not say. */
  readonly format: string;
  /** The declared columns; empty when the producer did not declare them. */
  readonly columns: readonly DatasetColumn[];
  constructor(uri: string, format = "", columns: readonly DatasetColumn[] = []) {
    this.uri = uri;
    this.format = format;
    this.columns = Object.freeze(columns.map((c) => Object.freeze({ ...c })));
    Object.freeze(this);
  }
}

/**
 * A value too large to travel inline, which the platform wrote to the object store instead
 * (`Literal.offloaded_metadata`). flyte-remote does not fetch it.
 */
export class OffloadedRef {
  readonly kind = "offloaded";
  readonly uri: string;
  readonly sizeBytes: bigint;
  /** The value's Flyte type in words, as the platform inferred it; empty when unknown. */
  readonly type: string;
  constructor(uri: string, sizeBytes: bigint, type = "") {
    this.uri = uri;
    this.sizeBytes = sizeBytes;
    this.type = type;
    Object.freeze(this);
  }

  /** `sizeBytes` as a decimal string, since JSON has no bigint. */
  toJSON(): { kind: "offloaded"; uri: string; sizeBytes: string; type: string } {
    return { kind: this.kind, uri: this.uri, sizeBytes: String(this.sizeBytes), type: this.type };
  }
}

/** Any reference a converted value may hold. */
export type DataRef = FileRef | DirectoryRef | DatasetRef | OffloadedRef;

/** Whether `value` is one of the reference classes. */
export function isDataRef(value: unknown): value is DataRef {
  return (
    value instanceof FileRef ||
    value instanceof DirectoryRef ||
    value instanceof DatasetRef ||
    value instanceof OffloadedRef
  );
}

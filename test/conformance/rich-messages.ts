import { create, type JsonObject, type MessageInitShape } from "@bufbuild/protobuf";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { CatalogCacheStatus } from "../../src/gen/flyteidl2/core/catalog_pb.js";
import {
  ContainerError_Kind,
  type ErrorDocument,
  ErrorDocumentSchema,
  type ExecutionError,
  ExecutionError_ErrorKind,
  ExecutionErrorSchema,
  TaskLog_LinkType,
  TaskLog_MessageFormat,
} from "../../src/gen/flyteidl2/core/execution_pb.js";
import { BlobType_BlobDimensionality, SimpleType } from "../../src/gen/flyteidl2/core/types_pb.js";
import { CacheLookupScope } from "../../src/gen/flyteidl2/task/run_pb.js";
import type { TaskSpecSchema } from "../../src/gen/flyteidl2/task/task_definition_pb.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
  ActionType,
  ErrorInfo_Kind,
  type RunDetails,
  RunDetailsSchema,
  RunSource,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";

/*
 * Messages built with OUR schema, dense enough that most fields on the failure path are set:
 * every nested message, repeated and oneof member an error decoder will read.
 */

const ts = (seconds: number, nanos = 0) => ({ seconds: BigInt(seconds), nanos });

const runId = { org: "acme", project: "ml", domain: "development", name: "r7k2xq9" };

const user = {
  principal: {
    case: "user" as const,
    value: {
      id: { subject: "u-123" },
      spec: {
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@example.com",
        organization: "acme",
        userHandle: "ada",
        groups: ["ml", "admins"],
        photoUrl: "https://example.com/ada.png",
      },
    },
  },
};

function failedAttempt(attempt: number, message: string) {
  return {
    phase: ActionPhase.FAILED,
    startTime: ts(1_700_000_000 + attempt * 60),
    endTime: ts(1_700_000_030 + attempt * 60, 250_000_000),
    errorInfo: { message, kind: ErrorInfo_Kind.USER },
    attempt,
    logInfo: [
      {
        uri: `https://logs.example.com/r7k2xq9/a0/${attempt}`,
        name: "Pod logs",
        messageFormat: TaskLog_MessageFormat.JSON,
        ttl: { seconds: 3600n, nanos: 0 },
        ShowWhilePending: true,
        HideOnceFinished: false,
        linkType: TaskLog_LinkType.DASHBOARD,
        ready: true,
        iconUri: "https://example.com/icon.svg",
      },
    ],
    outputs: { outputUri: "s3://bucket/out", reportUri: "s3://bucket/report.html" },
    logsAvailable: true,
    cacheStatus: CatalogCacheStatus.CACHE_MISS,
    clusterEvents: [
      { occurredAt: ts(1_700_000_010), message: "Back-off pulling image" },
      { occurredAt: ts(1_700_000_020), message: "OOMKilled" },
    ],
    phaseTransitions: [
      { phase: ActionPhase.QUEUED, startTime: ts(1_700_000_000), endTime: ts(1_700_000_001) },
      { phase: ActionPhase.RUNNING, startTime: ts(1_700_000_001), endTime: ts(1_700_000_029) },
      { phase: ActionPhase.FAILED, startTime: ts(1_700_000_029) },
    ],
    cluster: "dp-us-east-2",
    logContext: {
      pods: [
        {
          namespace: "ml-development",
          podName: `r7k2xq9-a0-${attempt}`,
          containers: [
            {
              containerName: "main",
              process: {
                containerStartTime: ts(1_700_000_002),
                containerEndTime: ts(1_700_000_028),
              },
            },
          ],
          primaryContainerName: "main",
          initContainers: [
            { containerName: "init", process: { containerStartTime: ts(1_700_000_001) } },
          ],
        },
      ],
      primaryPodName: `r7k2xq9-a0-${attempt}`,
      connector: { endpoint: "dns:///connector:8000" },
    },
  };
}

/** A registered task's spec: its interface with every kind of type, and a default input. */
function trainSpec(): MessageInitShape<typeof TaskSpecSchema> {
  const simple = (t: SimpleType) => ({ type: { case: "simple" as const, value: t } });
  return {
    taskTemplate: {
      type: "python",
      interface: {
        inputs: {
          variables: [
            { key: "epochs", value: { type: simple(SimpleType.INTEGER), description: "passes" } },
            {
              key: "tags",
              value: {
                type: { type: { case: "collectionType", value: simple(SimpleType.STRING) } },
              },
            },
            {
              key: "weights",
              value: { type: { type: { case: "mapValueType", value: simple(SimpleType.FLOAT) } } },
            },
            {
              key: "mode",
              value: { type: { type: { case: "enumType", value: { values: ["fast", "slow"] } } } },
            },
            {
              key: "data",
              value: {
                type: {
                  type: {
                    case: "structuredDatasetType",
                    value: {
                      columns: [{ name: "x", literalType: simple(SimpleType.FLOAT) }],
                      format: "parquet",
                    },
                  },
                },
              },
            },
            {
              key: "checkpoint",
              value: {
                type: {
                  type: {
                    case: "unionType",
                    value: {
                      variants: [
                        {
                          type: {
                            case: "blob",
                            value: {
                              format: "pt",
                              dimensionality: BlobType_BlobDimensionality.SINGLE,
                            },
                          },
                        },
                        simple(SimpleType.NONE),
                      ],
                    },
                  },
                },
              },
            },
            {
              key: "config",
              value: {
                type: {
                  ...simple(SimpleType.STRUCT),
                  metadata: { title: "Config" },
                  annotation: {
                    annotations: { "cache-key-metadata": { "serialization-format": "msgpack" } },
                  },
                  structure: { tag: "Dataclass Transformer" },
                },
              },
            },
          ],
        },
        outputs: { variables: [{ key: "o0", value: { type: simple(SimpleType.DURATION) } }] },
      },
    },
    defaultInputs: [
      {
        name: "epochs",
        parameter: {
          var: { type: simple(SimpleType.INTEGER) },
          behavior: {
            case: "default" as const,
            value: {
              value: {
                case: "scalar" as const,
                value: {
                  value: {
                    case: "primitive" as const,
                    value: { value: { case: "integer" as const, value: 3n } },
                  },
                },
              },
            },
          },
        },
      },
    ],
    shortName: "train",
  };
}

/** A failed action: two attempts, the result is the last attempt's error. */
export function failedActionDetails(): ActionDetails {
  return create(ActionDetailsSchema, {
    id: { run: runId, name: "a0" },
    metadata: {
      parent: "",
      group: "training",
      executedBy: user,
      spec: {
        case: "task",
        value: {
          id: { org: "acme", project: "ml", domain: "development", name: "train", version: "v3" },
          taskType: "python",
          shortName: "train",
        },
      },
      actionType: ActionType.TASK,
      triggerId: {
        name: {
          org: "acme",
          project: "ml",
          domain: "development",
          name: "nightly",
          taskName: "train",
        },
        revision: 4n,
      },
      environmentName: "gpu",
      funtionName: "train",
      triggerName: "nightly",
      source: RunSource.CLI,
    },
    status: {
      phase: ActionPhase.FAILED,
      startTime: ts(1_700_000_060),
      endTime: ts(1_700_000_150),
      attempts: 2,
      cacheStatus: CatalogCacheStatus.CACHE_MISS,
      durationMs: 90_000n,
    },
    result: {
      case: "errorInfo",
      value: { message: "[OOMKilled] container exceeded memory limit", kind: ErrorInfo_Kind.USER },
    },
    spec: { case: "task", value: trainSpec() },
    attempts: [failedAttempt(1, "retryable: timeout"), failedAttempt(2, "[OOMKilled] exceeded")],
  });
}

/** An aborted action: the other member of the `result` oneof, with an application principal. */
export function abortedActionDetails(): ActionDetails {
  return create(ActionDetailsSchema, {
    id: { run: runId, name: "a3" },
    status: { phase: ActionPhase.ABORTED, startTime: ts(1_700_000_000), attempts: 1 },
    result: {
      case: "abortInfo",
      value: {
        reason: "superseded by a newer run",
        abortedBy: {
          principal: {
            case: "application",
            value: { id: { subject: "ci-bot" }, spec: { name: "ci", organization: "acme" } },
          },
        },
      },
    },
  });
}

/** A run whose root action failed, with the run spec options the client sets. */
export function failedRunDetails(): RunDetails {
  return create(RunDetailsSchema, {
    runSpec: {
      labels: { values: { team: "ml", cost_center: "42" } },
      annotations: { values: { "example.com/owner": "ada" } },
      envs: { values: [{ key: "LOG_LEVEL", value: "debug" }] },
      interruptible: true,
      overwriteCache: true,
      cluster: "dp-us-east-2",
      rawDataStorage: { rawDataPrefix: "s3://bucket/raw" },
      cacheConfig: { overwriteCache: true, cacheLookupScope: CacheLookupScope.PROJECT_DOMAIN },
    },
    action: failedActionDetails(),
  });
}

/** The backend's error record, with the "<server code>|<user code>" code form. */
export function executionError(): ExecutionError {
  return create(ExecutionErrorSchema, {
    code: "OOMKilled|USER:ValueError",
    message: "container exceeded its memory limit of 2Gi",
    errorUri: "s3://bucket/error.pb",
    kind: ExecutionError_ErrorKind.SYSTEM,
    timestamp: ts(1_700_000_150, 999_999_999),
    worker: "worker-3",
    recoverability: ContainerError_Kind.RECOVERABLE,
  });
}

/** The error file a task writes when it fails. */
export function errorDocument(): ErrorDocument {
  return create(ErrorDocumentSchema, {
    error: {
      code: "USER:ValueError",
      message: "bad learning rate",
      kind: ContainerError_Kind.NON_RECOVERABLE,
      origin: ExecutionError_ErrorKind.USER,
    },
  });
}

/*
 * Messages written as upstream proto3 JSON, to be parsed with UPSTREAM's schema. They set
 * fields our subset leaves out, listed in `upstreamOnlyPaths`, to show those survive us.
 */

/**
 * ActionDetails with TaskSpec.environment (inside the `spec` oneof's task = 6),
 * ActionMetadata.trigger_type and User.roles.
 */
export const upstreamActionDetailsJson: JsonObject = {
  id: { run: { org: "acme", project: "ml", domain: "production", name: "rx" }, name: "a1" },
  metadata: {
    parent: "a0",
    executedBy: { user: { id: { subject: "u-9" }, roles: [{ id: { name: "viewer" } }] } },
    trace: { name: "fetch" },
    actionType: "ACTION_TYPE_TRACE",
    triggerType: { type: "TYPE_SCHEDULE" },
    source: "RUN_SOURCE_WEB",
  },
  status: {
    phase: "ACTION_PHASE_TIMED_OUT",
    startTime: "2024-05-01T10:00:00Z",
    endTime: "2024-05-01T11:00:00.500Z",
    attempts: 3,
    cacheStatus: "CACHE_HIT",
    durationMs: "3600500",
  },
  errorInfo: { message: "task exceeded its timeout of 1h", kind: "KIND_SYSTEM" },
  task: { shortName: "fetch", environment: { name: "gpu" } },
  attempts: [
    {
      phase: "ACTION_PHASE_TIMED_OUT",
      startTime: "2024-05-01T10:00:00Z",
      errorInfo: { message: "deadline exceeded", kind: "KIND_SYSTEM" },
      attempt: 3,
      logInfo: [{ uri: "https://logs/3", name: "logs", ShowWhilePending: true }],
      clusterEvents: [{ occurredAt: "2024-05-01T10:59:59Z", message: "Killing container" }],
      phaseTransitions: [{ phase: "ACTION_PHASE_RUNNING", startTime: "2024-05-01T10:00:01Z" }],
      cluster: "dp-eu-west-1",
      logContext: { primaryPodName: "rx-a1-3", pods: [{ namespace: "ml", podName: "rx-a1-3" }] },
    },
  ],
};

/** The JSON paths above that only upstream knows. */
export const upstreamOnlyPaths = [
  "metadata.executedBy.user.roles",
  "metadata.triggerType",
  "task.environment",
];

/** RunDetails with RunSpec fields our subset leaves out (security_context, notification rule). */
export const upstreamRunDetailsJson: JsonObject = {
  runSpec: {
    labels: { values: { a: "b" } },
    overwriteCache: true,
    securityContext: { runAs: { k8sServiceAccount: "runner" } },
    notificationRuleName: "on-failure",
  },
  action: {
    id: { run: { name: "rx" }, name: "a0" },
    status: { phase: "ACTION_PHASE_FAILED" },
    errorInfo: { message: "boom", kind: "KIND_USER" },
  },
};

export const upstreamRunDetailsOnlyPaths = [
  "runSpec.securityContext",
  "runSpec.notificationRuleName",
];

/** An ExecutionError and an ErrorDocument as upstream writes them. */
export const upstreamExecutionErrorJson: JsonObject = {
  code: "ImagePullBackOff",
  message: "image not found",
  errorUri: "s3://x/err.pb",
  kind: "SYSTEM",
  timestamp: "2024-05-01T10:00:00.123456789Z",
  worker: "w1",
  recoverability: "RECOVERABLE",
};

export const upstreamErrorDocumentJson: JsonObject = {
  error: { code: "USER:Boom", message: "boom", kind: "RECOVERABLE", origin: "SYSTEM" },
};

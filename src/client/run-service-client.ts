import type { Client } from "@connectrpc/connect";
import type { RunService } from "../gen/flyteidl2/workflow/run_service_pb.js";

/** The generated RunService client. */
export type RunServiceClient = Client<typeof RunService>;

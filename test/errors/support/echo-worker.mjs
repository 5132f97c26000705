// A worker thread that revives each error JSON it receives with its own copy of the errors
// module (given as workerData), and posts back the class it got and that error's JSON.
import { parentPort, workerData } from "node:worker_threads";

const { FlyteError } = await import(workerData.indexUrl);
parentPort.on("message", (json) => {
  const error = FlyteError.fromJSON(json);
  parentPort.postMessage({ className: error.constructor.name, json: error.toJSON() });
});

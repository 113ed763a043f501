// Wrong inputs to the exported module of the Swift interop app: tsc --strict must refuse both.
import { type StepTools } from "inngest";
import * as swiftApp from "./swift_app";

export async function wrongInputs(step: StepTools): Promise<void> {
  await step.invoke("cube", { function: swiftApp.computeCube, data: { number: "3" } });
  await step.invoke("cube", { function: swiftApp.computeCube, data: { name: "x" } });
}

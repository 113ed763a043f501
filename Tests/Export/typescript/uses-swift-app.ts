// Uses the exported module of the Swift interop app as an app would: tsc --strict must pass.
import { type StepTools } from "inngest";
import * as swiftApp from "./swift_app";

export async function cubeOfThree(step: StepTools): Promise<number> {
  const cube = await step.invoke("cube", { function: swiftApp.computeCube, data: { number: 3 }, timeout: "1m" });
  const typed: swiftApp.ComputeCubeOutput = cube;
  // @ts-expect-error the result is typed, so it is not a string
  const wrong: string = cube.result;
  return typed.result;
}

export async function greet(step: StepTools): Promise<string> {
  const greeting = await step.invoke("greet", { function: swiftApp.onPythonEvent, data: { name: "ts" } });
  const outcome = await step.invoke("wait", { function: swiftApp.waitForPython, data: { token: "t" } });
  return `${greeting["greeting"]} ${outcome.matched} ${outcome.token ?? ""}`;
}

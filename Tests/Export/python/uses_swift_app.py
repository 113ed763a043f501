"""Uses the exported module of the Swift interop app as an app would: mypy --strict must pass."""

import inngest
import typing_extensions

import swift_app

client = inngest.Inngest(app_id="uses-swift-app", is_production=False)


@client.create_function(fn_id="cube-of-three", trigger=inngest.TriggerEvent(event="test/cube"))
async def cube_of_three(ctx: inngest.Context) -> int:
    cube = await swift_app.invoke_compute_cube(ctx.step, "cube", swift_app.ComputeCubeInput(number=3), timeout=60_000)
    typing_extensions.assert_type(cube, swift_app.ComputeCubeOutput)
    typing_extensions.assert_type(cube.result, int)
    return cube.result


@client.create_function(fn_id="greet-swift", trigger=inngest.TriggerEvent(event="test/greet"))
def greet_swift(ctx: inngest.ContextSync) -> str:
    greeting = swift_app.invoke_on_python_event_sync(ctx.step, "greet", swift_app.OnPythonEventInput(name="py"))
    typing_extensions.assert_type(greeting, dict[str, str])
    outcome = swift_app.invoke_wait_for_python_sync(ctx.step, "wait", swift_app.WaitForPythonInput(token="t"))
    typing_extensions.assert_type(outcome.token, str | None)
    return greeting["greeting"]

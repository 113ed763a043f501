"""Wrong inputs to the exported module of the Swift interop app: mypy --strict must refuse both."""

import inngest

import swift_app


async def wrong_inputs(ctx: inngest.Context) -> None:
    await swift_app.invoke_compute_cube(ctx.step, "cube", swift_app.ComputeCubeInput(number="3"))
    await swift_app.invoke_compute_cube(ctx.step, "cube", swift_app.OnPythonEventInput(name="x"))

"""Imports the golden export of the fixture manifest and sends and reads values through it, with
warnings as errors: the models pydantic builds are the ones the types promise."""

import json

import orders

order = orders.PlaceOrderInput(
    amount_cents=5,
    items=[orders.PlaceOrderInputItemsItem(sku="a", qty=1)],
    note=None,
    order_id="o",
    wire_id="w",
    class_=True,
    customer=orders.Customer(name="c", referrer=orders.Customer(name="r", tier="gold")),
)
sent = orders._event_data(orders._PLACE_ORDER_INPUT, order)
expected = {
    "amount_cents": 5,
    "class": True,
    "customer": {"name": "c", "referrer": {"name": "r", "tier": "gold"}},
    "items": [{"qty": 1, "sku": "a"}],
    "note": None,
    "order_id": "o",
    "wire-id": "w",
}
assert sent == expected, json.dumps(sent, sort_keys=True)

placed = orders._PLACE_ORDER_OUTPUT.validate_python({"status": "held", "lines": [1, "x"], "other": {"a": 1}})
assert placed.status == "held" and placed.lines == [1, "x"] and placed.model_extra == {"other": {"a": 1}}, repr(placed)
assert orders._REPORTS_OUTPUT.validate_python(["a", None]) == ["a", None]
assert orders._N_3D_RENDER_OUTPUT.validate_python(None) is None
try:
    orders._PLACE_ORDER_OUTPUT.validate_python({"status": "lost"})
except orders.pydantic.ValidationError:
    pass
else:
    raise AssertionError("a status outside the enum was accepted")
print("golden round trip: ok")

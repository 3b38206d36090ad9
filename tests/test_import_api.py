"""`intwizard import-api`: every kind of contract fills an integration; AsyncAPI 2.6 and 3.0 here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intwizard.core.draft import Draft
from intwizard.core.store import new_draft_file, read_plain
from intwizard.errors import InputError
from intwizard.importers.contract import detect
from intwizard.importers.sources import import_file

CONTRACTS = Path(__file__).parent / "fixtures" / "contracts"
CLI = [sys.executable, "-m", "intwizard"]
STREETLIGHTS = {"2.6": CONTRACTS / "streetlights-2.6.yaml", "3.0": CONTRACTS / "streetlights-3.0.yaml"}
ADDRESSES = [
    "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured",
    "smartylighting/streetlights/1/0/action/{streetlightId}/turn/on",
    "smartylighting/streetlights/1/0/action/{streetlightId}/turn/off",
    "smartylighting/streetlights/1/0/action/{streetlightId}/dim",
]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def new_draft(schema, path: Path) -> Path:
    new_draft_file(path, Draft.new(schema)).save()
    return path


def integration(path: Path, name: str) -> dict:
    [found] = [i for i in read_plain(path)["external_system_integrations"] if i["name"] == name]
    return found


@pytest.mark.parametrize(("version", "suffix"), [("2.6", ".yaml"), ("2.6", ".json"), ("3.0", ".yaml"),
                                                 ("3.0", ".json")])
def test_streetlights(schema, tmp_path: Path, version: str, suffix: str) -> None:
    source = STREETLIGHTS[version].with_suffix(suffix)
    draft = new_draft(schema, tmp_path / "lights.yaml")
    result = run("import-api", source, draft, "--integration", "Streetlights")
    assert result.returncode == 0, result.stderr
    assert "Created integration 'Streetlights': 4 endpoint rows added" in result.stderr
    lights = integration(draft, "Streetlights")
    methods = ["PUBLISH", "SUBSCRIBE", "SUBSCRIBE", "SUBSCRIBE"] if version == "2.6" else \
        ["RECEIVE", "SEND", "SEND", "SEND"]
    assert [(r["method"], r["endpoint"]) for r in lights["api_endpoints"]] == list(zip(methods, ADDRESSES,
                                                                                         strict=True))
    first, on = lights["api_endpoints"][0], lights["api_endpoints"][1]
    assert first["purpose"] == "Inform about environmental lighting conditions of a particular streetlight."
    assert first["request"] == 'lightMeasured {"lumens": "integer", "sentAt": "string"}'
    assert on["purpose"] == "Command a particular streetlight to turn the lights on or off."  # the message's
    assert on["request"] == 'turnOnOff {"command": "string", "sentAt": "string"}'
    assert lights["type"] == "MQTT"  # the server's protocol
    assert lights["connection_details"]["base_url"] == "mqtt://test.mosquitto.org:1883"  # port defaulted
    assert lights["connection_details"]["authentication"] == "API Key, OAuth 2.0, OpenID Connect"
    assert json.loads(lights["data_exchange_format"]) == {"lumens": "integer", "sentAt": "string"}
    structure = json.loads(read_plain(draft)["message_formats_and_protocols"]["message_structure"])
    assert structure == {"header": {"my-app-header": "integer"},
                         "payload": {"lumens": "integer", "sentAt": "string"}}
    [record] = read_plain(draft)["intwizard"]["sources"]
    assert (record["kind"], record["integration"], record["api"]) == ("asyncapi", "Streetlights",
                                                                      "Streetlights MQTT API 1.0.0")
    assert (draft.parent / record["path"]).resolve() == source.resolve()
    assert record["digest"].startswith("sha256:")


def test_reply_and_kafka_server_variables(schema, tmp_path: Path) -> None:
    draft = Draft.new(schema)
    import_file(draft, tmp_path / "d.yaml", CONTRACTS / "rpc-3.0.yaml", "Pricing")
    [pricing] = draft.plain()["external_system_integrations"]
    assert pricing["type"] == "Kafka"
    assert pricing["connection_details"]["base_url"] == "kafka://prod.kafka.example:9092"
    [row] = pricing["api_endpoints"]
    assert row == {"method": "SEND", "endpoint": "pricing.quote.requests", "purpose": "Ask for a price quote.",
                   "request": 'QuoteRequest {"sku": "string", "quantity": "integer"}',
                   "response": 'QuoteReply {"price": "number"}'}


def test_without_servers_the_type_is_the_schemas_message_queue(schema, tmp_path: Path) -> None:
    source = tmp_path / "events.yaml"
    text = (CONTRACTS / "rpc-3.0.yaml").read_text(encoding="utf-8")
    source.write_text(text[: text.index("servers:")] + text[text.index("channels:"):], encoding="utf-8")
    draft = Draft.new(schema)
    outcome = import_file(draft, tmp_path / "d.yaml", source, "Pricing")
    [pricing] = draft.plain()["external_system_integrations"]
    type_node = schema.node("external_system_integrations.type")
    assert pricing["type"] == dict(type_node.contract_values)["asyncapi"] == "Message Queue"
    assert "Message Queue" in type_node.options
    assert any("names no server" in note for note in outcome.notes)


def test_a_draft_with_its_own_message_structure_keeps_it(schema, tmp_path: Path) -> None:
    draft = Draft.new(schema)
    draft.set("message_formats_and_protocols.message_structure", '{"mine": true}')
    outcome = import_file(draft, tmp_path / "d.yaml", STREETLIGHTS["2.6"], "Lights")
    assert draft.get("message_formats_and_protocols.message_structure") == '{"mine": true}'
    assert any(kept.startswith("Message Structure") for kept in outcome.kept)


@pytest.mark.parametrize(("fixture", "message", "line"), [
    ("asyncapi-invalid.yaml", "at operations > receiveLightMeasurement > action: 'publish' is not one of "
                              "['send', 'receive']", 101),
    ("asyncapi-remote-ref.yaml", "remote $ref 'https://example.invalid/messages.yaml#/OrderPlaced' is not fetched",
     0),
])
def test_invalid_documents_exit_2_and_leave_the_draft_untouched(schema, tmp_path: Path, fixture: str,
                                                                message: str, line: int) -> None:
    draft = new_draft(schema, tmp_path / "d.yaml")
    before = draft.read_bytes()
    result = run("import-api", CONTRACTS / fixture, draft, "--integration", "X")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    if line:
        assert f"{fixture}:{line}:" in result.stderr
    assert draft.read_bytes() == before and not (tmp_path / "d.yaml.bak").exists()


def test_unsupported_version_and_unknown_files(schema, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text("asyncapi: 2.0.0\ninfo: {title: t, version: '1'}\nchannels: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"AsyncAPI 2\.0\.0 is not supported \(2\.6 and 3\.0 are\)"):
        import_file(Draft.new(schema), tmp_path / "d.yaml", old, "X")
    other = tmp_path / "other.yaml"
    other.write_text("hello: world\n", encoding="utf-8")
    draft = new_draft(schema, tmp_path / "d.yaml")
    result = run("import-api", other, draft, "--integration", "X")
    assert result.returncode == 2 and "not an API contract intwizard reads" in result.stderr


def test_an_alias_bomb_is_refused(schema, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    lines = ["asyncapi: 3.0.0", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
              for i in range(1, 9)]
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    draft = new_draft(schema, tmp_path / "d.yaml")
    result = run("import-api", bomb, draft, "--integration", "X")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "aliases" in result.stderr or "values" in result.stderr


def test_detect_by_suffix_and_version_key(tmp_path: Path) -> None:
    assert detect(Path("a.proto"), "") == "proto"
    assert detect(Path("a.GQL"), "") == "graphql"
    assert detect(Path("a.graphql"), "") == "graphql"
    assert detect(Path("a.json"), '{"openapi": "3.1.0"}') == "openapi"
    assert detect(Path("a.yml"), "asyncapi: 3.0.0\n") == "asyncapi"
    with pytest.raises(InputError, match=r"Swagger 2\.0"):
        detect(Path("a.yaml"), "swagger: '2.0'\n")


def test_rerun_after_the_source_changed_updates_its_rows_and_keeps_the_authors(schema, tmp_path: Path) -> None:
    source = tmp_path / "lights.yaml"
    shutil.copy(STREETLIGHTS["3.0"], source)
    draft = new_draft(schema, tmp_path / "d.yaml")
    draft.write_text(draft.read_text(encoding="utf-8") + "# the author's closing comment\n", encoding="utf-8")
    assert run("import-api", source, draft, "--integration", "Lights").returncode == 0
    assert run("set", draft, "external_system_integrations.0.api_endpoints.4.method=SEND",
               "external_system_integrations.0.api_endpoints.4.endpoint=lights/reboot",
               "external_system_integrations.0.api_endpoints.1.purpose=Switch on (ours)").returncode == 0
    text = source.read_text(encoding="utf-8")
    text = text.replace("'smartylighting/streetlights/1/0/action/{streetlightId}/dim'",
                        "'smartylighting/streetlights/2/0/action/{streetlightId}/dim'")
    text = text.replace("summary: Command a particular streetlight to dim the lights.",
                        "summary: Dim one streetlight.")
    source.write_text(text, encoding="utf-8")
    result = run("import-api", source, draft, "--integration", "Lights")
    assert result.returncode == 0, result.stderr
    assert "1 endpoint rows added, 0 updated, 1 removed" in result.stderr
    rows = integration(draft, "Lights")["api_endpoints"]
    assert [(r["method"], r["endpoint"]) for r in rows] == [
        ("RECEIVE", ADDRESSES[0]), ("SEND", ADDRESSES[1]), ("SEND", ADDRESSES[2]), ("SEND", "lights/reboot"),
        ("SEND", "smartylighting/streetlights/2/0/action/{streetlightId}/dim")]
    assert rows[1]["purpose"] == "Switch on (ours)"
    assert rows[4]["purpose"] == "Dim one streetlight."
    assert draft.read_text(encoding="utf-8").endswith("# the author's closing comment\n")
    again = run("import-api", source, draft, "--integration", "Lights")
    assert again.returncode == 0 and f"{draft} unchanged" in again.stderr


# -- Protocol Buffers -----------------------------------------------------------------------------------


def test_route_guide_proto(schema, tmp_path: Path) -> None:
    draft = new_draft(schema, tmp_path / "d.yaml")
    result = run("import-api", CONTRACTS / "route_guide.proto", draft, "--integration", "Route guide")
    assert result.returncode == 0, result.stderr
    guide = integration(draft, "Route guide")
    assert guide["type"] == dict(schema.node("external_system_integrations.type").contract_values)["proto"] == "gRPC"
    assert [(r["method"], r["endpoint"], r["request"], r["response"]) for r in guide["api_endpoints"]] == [
        ("UNARY", "/routeguide.RouteGuide/GetFeature", "Point", "Feature"),
        ("SERVER STREAM", "/routeguide.RouteGuide/ListFeatures", "Rectangle", "stream Feature"),
        ("CLIENT STREAM", "/routeguide.RouteGuide/RecordRoute", "stream Point", "RouteSummary"),
        ("BIDI STREAM", "/routeguide.RouteGuide/RouteChat", "stream RouteNote", "stream RouteNote")]
    assert [r["purpose"] for r in guide["api_endpoints"]] == [
        "A simple RPC.", "A server-to-client streaming RPC.", "A client-to-server streaming RPC.",
        "A Bidirectional streaming RPC."]
    assert json.loads(guide["data_exchange_format"]) == {
        "request_format": {"latitude": "int32", "longitude": "int32"},
        "response_format": {"name": "string", "location": {"latitude": "int32", "longitude": "int32"}}}
    assert guide["connection_details"]["base_url"] == ""
    assert "fill in Base URL and Authentication yourself" in result.stderr


def test_proto_nested_messages_enums_and_imports_in_the_folder(schema, tmp_path: Path) -> None:
    draft = Draft.new(schema)
    import_file(draft, tmp_path / "d.yaml", CONTRACTS / "shop" / "orders.proto", "Orders")
    [orders] = draft.plain()["external_system_integrations"]
    assert [(r["method"], r["endpoint"], r["purpose"]) for r in orders["api_endpoints"]] == [
        ("UNARY", "/shop.orders.v1.Orders/PlaceOrder", "Place an order for the items in a basket."),
        ("SERVER STREAM", "/shop.orders.v1.Orders/WatchOrder", "Follow an order's status as it changes.")]
    assert json.loads(orders["data_exchange_format"]) == {
        "request_format": {"lines": [{"sku": "string", "quantity": "int32"}],
                           "channel": "CHANNEL_UNSPECIFIED | WEB | STORE",  # from common.proto
                           "labels": {"<string>": "string"}, "card_token": "string", "voucher": "string"},
        "response_format": {"id": "string", "status": "STATUS_UNSPECIFIED | PLACED | SHIPPED",
                            "total": {"currency": "string", "amount_minor": "int64"},
                            "placed_at": "google.protobuf.Timestamp", "replaces": "Order (recursive)"}}


def test_proto_syntax_error_has_line_and_column(schema, tmp_path: Path) -> None:
    bad = tmp_path / "bad.proto"
    bad.write_text('syntax = "proto3";\nservice X {\n  rpc A(B) returns C;\n}\n', encoding="utf-8")
    draft = new_draft(schema, tmp_path / "d.yaml")
    before = draft.read_bytes()
    result = run("import-api", bad, draft, "--integration", "X")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "bad.proto:3:20: invalid .proto: no viable alternative at input 'rpc A(B) returns C'" in result.stderr
    assert draft.read_bytes() == before


def test_proto_rerun_and_drift(schema, tmp_path: Path) -> None:
    source = tmp_path / "route_guide.proto"
    shutil.copy(CONTRACTS / "route_guide.proto", source)
    draft = new_draft(schema, tmp_path / "d.yaml")
    assert run("import-api", source, draft, "--integration", "Guide").returncode == 0
    assert run("set", draft, "external_system_integrations.0.api_endpoints.0.purpose=Look one up").returncode == 0
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("rpc RecordRoute(stream Point)", "rpc RecordRoute(Point)"), encoding="utf-8")
    line = source.read_text(encoding="utf-8").splitlines().index("  rpc RecordRoute(Point) returns (RouteSummary) {}")
    drift = run("check", "--sources", draft)
    assert drift.returncode == 1
    assert f"route_guide.proto:{line + 1}: operation UNARY /routeguide.RouteGuide/RecordRoute is in the source " \
           "but not in the spec" in drift.stdout
    result = run("import-api", source, draft, "--integration", "Guide")
    assert "1 endpoint rows added, 0 updated, 1 removed" in result.stderr
    rows = integration(draft, "Guide")["api_endpoints"]
    assert rows[0]["purpose"] == "Look one up"
    assert [r["method"] for r in rows] == ["UNARY", "SERVER STREAM", "BIDI STREAM", "UNARY"]
    assert run("check", "--sources", draft).returncode == 0


# -- GraphQL --------------------------------------------------------------------------------------------


def test_graphql_all_three_root_types(schema, tmp_path: Path) -> None:
    draft = new_draft(schema, tmp_path / "d.yaml")
    result = run("import-api", CONTRACTS / "catalog.graphql", draft, "--integration", "Catalog")
    assert result.returncode == 0, result.stderr
    catalog = integration(draft, "Catalog")
    assert catalog["type"] == "GraphQL" and "GraphQL" in schema.node("external_system_integrations.type").options
    assert [tuple(r.values()) for r in catalog["api_endpoints"]] == [
        ("QUERY", "product", "Find one product by its id.", "id: ID!", "Product"),
        ("QUERY", "products", "List products, newest first.", "first: Int = 20; after: String; category: Category",
         "[Product!]!"),
        ("MUTATION", "setPrice", "Change a product's price.", "id: ID!; price: MoneyInput!", "Product"),
        ("SUBSCRIPTION", "stockChanged", "Stock level changes.", "productId: ID!", "StockLevel!")]
    assert json.loads(catalog["data_exchange_format"]) == {
        "request_format": {"id": "ID"},
        "response_format": {"id": "ID", "name": "String", "category": "BOOKS | GAMES",
                            "price": {"currency": "String", "amountMinor": "Int"}, "related": ["Product (recursive)"]}}
    [record] = read_plain(draft)["intwizard"]["sources"]
    assert (record["kind"], record["api"]) == ("graphql", "Catalog API")


@pytest.mark.parametrize(("text", "message", "where"), [
    ("type Query {\n  product(id: ID!): Product\n  broken(: Int\n}\n", "Syntax Error: Expected Name, found ':'.",
     ":3:10:"),
    ("type Query {\n  product(id: ID!): Prodcut\n}\n", "Unknown type 'Prodcut'.", ":2:21:"),
])
def test_graphql_errors_have_line_and_column(schema, tmp_path: Path, text: str, message: str, where: str) -> None:
    bad = tmp_path / "bad.gql"
    bad.write_text(text, encoding="utf-8")
    draft = new_draft(schema, tmp_path / "d.yaml")
    before = draft.read_bytes()
    result = run("import-api", bad, draft, "--integration", "X")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"bad.gql{where} invalid GraphQL schema" in result.stderr and message in result.stderr
    assert draft.read_bytes() == before


def test_graphql_drift_then_refresh(schema, tmp_path: Path) -> None:
    source = tmp_path / "catalog.graphql"
    shutil.copy(CONTRACTS / "catalog.graphql", source)
    draft = new_draft(schema, tmp_path / "d.yaml")
    assert run("import-api", source, draft, "--integration", "Catalog").returncode == 0
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("setPrice(id: ID!, price: MoneyInput!): Product",
                                   "setPrice(id: ID!, price: MoneyInput!, reason: String): Product"), encoding="utf-8")
    drift = run("check", "--sources", draft)
    assert drift.returncode == 1
    assert "catalog.graphql:23: operation MUTATION setPrice changed in the source: Request 'id: ID!; price: " \
           "MoneyInput!' -> 'id: ID!; price: MoneyInput!; reason: String'" in drift.stdout
    assert run("refresh", draft).returncode == 0
    assert run("check", "--sources", draft).returncode == 0
    assert integration(draft, "Catalog")["api_endpoints"][2]["request"] == "id: ID!; price: MoneyInput!; reason: String"


def test_asyncapi_refs_into_a_local_file_are_resolved(schema, tmp_path: Path) -> None:
    (tmp_path / "messages.yaml").write_text(
        "OrderPlaced:\n  name: OrderPlaced\n  summary: An order was placed.\n  payload:\n    type: object\n"
        "    properties:\n      orderId: {type: string}\n", encoding="utf-8")
    source = tmp_path / "orders.yaml"
    source.write_text(
        "asyncapi: 3.0.0\ninfo: {title: Orders, version: 1.0.0}\nchannels:\n  orders:\n    address: shop.orders\n"
        "    messages:\n      placed:\n        $ref: 'messages.yaml#/OrderPlaced'\noperations:\n  onOrder:\n"
        "    action: receive\n    channel:\n      $ref: '#/channels/orders'\n", encoding="utf-8")
    draft = Draft.new(schema)
    import_file(draft, tmp_path / "d.yaml", source, "Orders")
    [orders] = draft.plain()["external_system_integrations"]
    assert orders["api_endpoints"] == [{"method": "RECEIVE", "endpoint": "shop.orders",
                                        "purpose": "An order was placed.",
                                        "request": 'OrderPlaced {"orderId": "string"}', "response": ""}]


def test_asyncapi_json_errors_have_their_line(schema, tmp_path: Path) -> None:
    source = tmp_path / "lights.json"
    source.write_text((CONTRACTS / "streetlights-3.0.json").read_text(encoding="utf-8")
                      .replace('"action": "receive"', '"action": "publish"'), encoding="utf-8")
    line = source.read_text(encoding="utf-8").splitlines().index('      "action": "publish",') + 1
    with pytest.raises(InputError) as caught:
        import_file(Draft.new(schema), tmp_path / "d.yaml", source, "X")
    assert caught.value.line == line and "'publish' is not one of ['send', 'receive']" in caught.value.message


def test_graphql_federation_directives_do_not_stop_the_import(schema, tmp_path: Path) -> None:
    source = tmp_path / "reviews.graphql"
    source.write_text('type Query {\n  "Reviews of a product."\n  reviews(productId: ID!): [Review!]! @shareable\n}\n'
                      'type Review @key(fields: "id") {\n  id: ID!\n  body: String\n}\n', encoding="utf-8")
    draft = Draft.new(schema)
    import_file(draft, tmp_path / "d.yaml", source, "Reviews")
    [reviews] = draft.plain()["external_system_integrations"]
    assert [tuple(r.values()) for r in reviews["api_endpoints"]] == [
        ("QUERY", "reviews", "Reviews of a product.", "productId: ID!", "[Review!]!")]


def test_asyncapi_26_one_of_messages_and_a_url_with_its_scheme(schema, tmp_path: Path) -> None:
    source = tmp_path / "chat.yaml"
    source.write_text(
        "asyncapi: 2.6.0\ninfo: {title: Chat, version: '1'}\nservers:\n  live:\n    url: wss://chat.example/{v}\n"
        "    protocol: wss\n    variables:\n      v: {default: v2}\nchannels:\n  rooms/{id}:\n    parameters:\n"
        "      id: {schema: {type: string}}\n    subscribe:\n      description: |-\n        Messages in a room.\n"
        "        Newest last.\n      message:\n        oneOf:\n          - name: Said\n            payload:\n"
        "              type: object\n              properties: {text: {type: string}}\n          - name: Left\n",
        encoding="utf-8")
    draft = Draft.new(schema)
    import_file(draft, tmp_path / "d.yaml", source, "Chat")
    [chat] = draft.plain()["external_system_integrations"]
    assert chat["type"] == "WebSocket"
    assert chat["connection_details"]["base_url"] == "wss://chat.example/v2"
    assert chat["api_endpoints"] == [{"method": "SUBSCRIBE", "endpoint": "rooms/{id}", "purpose": "Messages in a room.",
                                      "request": 'Said {"text": "string"} or Left', "response": ""}]


def test_a_syntax_error_in_an_imported_proto_names_that_file(schema, tmp_path: Path) -> None:
    (tmp_path / "common.proto").write_text('syntax = "proto3";\nmessage Money {\n  string currency = ;\n}\n',
                                           encoding="utf-8")
    main = tmp_path / "pay.proto"
    main.write_text('syntax = "proto3";\nimport "common.proto";\n'
                    'service Pay {\n  rpc Charge(Money) returns (Money);\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_file(Draft.new(schema), tmp_path / "d.yaml", main, "Pay")
    assert caught.value.path == tmp_path / "common.proto"
    assert (caught.value.line, caught.value.column) == (3, 21)  # the ";"

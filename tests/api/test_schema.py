"""The OpenAPI schema is generated without a warning, validates, and says what the endpoints really do."""

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn raises on any warning from drf-spectacular (unresolvable type, enum naming clash, …)
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_the_schema_and_the_docs_page_are_for_logged_in_users(cast, client):
    assert client.get("/api/schema/?format=json").status_code in (401, 403)
    assert client.get("/api/docs/").status_code in (401, 403)
    liaison = cast.client("liaison_b")
    assert liaison.get("/api/schema/?format=json").json()["info"]["title"] == "Tongtui API"
    assert liaison.get("/api/docs/").status_code == 200


def test_editing_a_task_documents_the_required_version_and_the_conflict(schema):
    for method in ("put", "patch"):
        operation = schema["paths"]["/api/tasks/{id}/"][method]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["required"] == ["version"]
        assert set(operation["responses"]) == {"200", "400", "401", "403", "404", "409"}


def test_every_task_action_documents_its_body_and_answers(schema):
    actions = [
        "assign",
        "acknowledge",
        "progress",
        "request-completion",
        "close",
        "return",
        "suspend",
        "resume",
        "cancel",
    ]
    for name in actions:
        operation = schema["paths"][f"/api/tasks/{{id}}/{name}/"]["post"]
        assert "requestBody" in operation, name
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/Task"
        )
        assert operation["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/Conflict"
        )


def test_reads_document_401_and_404(schema):
    assert {"200", "401", "404"} <= set(schema["paths"]["/api/tasks/{id}/"]["get"]["responses"])
    assert {"200", "400", "401", "404"} <= set(schema["paths"]["/api/tasks/"]["get"]["responses"])


def test_status_enums_have_their_own_names(schema):
    components = schema["components"]["schemas"]
    assert components["TaskStatusEnum"]["enum"][0] == "draft"
    assert components["PlanStatusEnum"]["enum"] == ["draft", "active", "closed"]


def test_decimal_strings_are_described_exactly(schema):
    progress = schema["components"]["schemas"]["ProgressRequest"]["properties"]["progress"]
    assert progress["pattern"] == r"^(?:100(?:\.0{1,2})?|\d{1,2}(?:\.\d{1,2})?)$"
    weight = schema["components"]["schemas"]["TaskRequest"]["properties"]["weight"]
    assert weight["pattern"] == r"^\d{1,4}(?:\.\d{1,2})?$"

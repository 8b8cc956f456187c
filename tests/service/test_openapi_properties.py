"""Property tests of the OpenAPI description (schemathesis): generated requests to every route of a
running server find no 5xx, and every answer matches its documented status, type and schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from tests.service.conftest import Server, events

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):
    server = Server(tmp_path_factory.mktemp("openapi"), None, "--clock", "manual", "--max-events", "20")
    server.start()
    server.post("/v1/events", events("docket.jsonl"))  # something to read back
    yield schemathesis.openapi.from_url(server.url + "/openapi.json")
    server.stop()


def test_no_server_errors_and_answers_as_documented(api_schema) -> None:
    """Each operation in turn (schemathesis' pytest plugin does not load on this pytest; its
    strategies are used with hypothesis directly, as its documentation shows)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:
            case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                           response_schema_conformance])

        check()

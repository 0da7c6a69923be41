"""Schema-driven fuzzing (schemathesis): every operation of the OpenAPI schema, bounded examples so CI stays
fast. No input may produce a server error; bad input is a 4xx."""
import schemathesis
from hypothesis import HealthCheck, settings

from wenzhen.api import app

schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_operation_answers_with_a_server_error(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"

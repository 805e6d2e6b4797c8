"""schemathesis hooks for case-service (SCHEMATHESIS_HOOKS=case_service_hooks).

The contract requires the Idempotency-Key header to equal the body's own id
(applicationId, ratingId or orderId), a rule no JSON schema can state across a header and
a body. For requests schemathesis generates as valid, this makes the header the body's id,
so they are valid under the contract's rules too and reach the store; requests generated
as invalid keep their header as drawn.
"""
import schemathesis

ID_PROPERTIES = ("applicationId", "ratingId", "orderId")


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    if not isinstance(case.body, dict) or not case.headers or "Idempotency-Key" not in case.headers:
        return case
    for name in ID_PROPERTIES:
        if isinstance(case.body.get(name), str):
            case.headers["Idempotency-Key"] = case.body[name]
            break
    return case

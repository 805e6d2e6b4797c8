"""schemathesis hooks for case-service (SCHEMATHESIS_HOOKS=case_service_hooks).

Two rules of the contract no JSON schema can state, across a header or a path and a body,
applied to the requests schemathesis generates as valid, so they are valid under the
contract's rules too and reach the store; requests generated as invalid keep what was drawn:

- the Idempotency-Key header is the body's own id (applicationId, ratingId or orderId);
- a heartbeat is sent by the token's own kiosk: the path's kioskId and the body's are the
  kiosk the token names (CaseServiceProcess's kiosk-e2e, or CASE_SERVICE_KIOSK).
"""
import os

import schemathesis

ID_PROPERTIES = ("applicationId", "ratingId", "orderId")
HEARTBEAT_PATH = "/v1/kiosks/{kioskId}/heartbeat"
KIOSK = os.environ.get("CASE_SERVICE_KIOSK", "kiosk-e2e")


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    if case.operation.path == HEARTBEAT_PATH:
        if case.path_parameters is not None:
            case.path_parameters["kioskId"] = KIOSK
        if isinstance(case.body, dict):
            case.body["kioskId"] = KIOSK
        return case
    if not isinstance(case.body, dict) or not case.headers or "Idempotency-Key" not in case.headers:
        return case
    for name in ID_PROPERTIES:
        if isinstance(case.body.get(name), str):
            case.headers["Idempotency-Key"] = case.body[name]
            break
    return case

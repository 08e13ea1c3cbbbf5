"""The gate every request passes first: it is logged, then its faults are drawn."""

from __future__ import annotations

from urllib.parse import parse_qsl

from ._common import API_PREFIX
from ._faults import Decision, FaultInjector, Faults
from ._log import RequestLog, RequestRecord


class Gate:
    """Request log plus fault injector, shared by the ASGI app and the in-process transport."""

    def __init__(self, faults: Faults | None) -> None:
        self.log = RequestLog()
        self.injector = FaultInjector(faults)

    @property
    def faults(self) -> Faults | None:
        return self.injector.faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        self.injector = FaultInjector(faults)

    def enter(
        self, method: str, path: str, query_string: str, body: bytes
    ) -> tuple[RequestRecord, Decision]:
        query = dict(parse_qsl(query_string, keep_blank_values=True))
        record = self.log.begin(method, path, query, body)
        decision = self.injector.decide(method, path.removeprefix(API_PREFIX))
        record.fault = decision.name
        record.latency = decision.latency
        return record, decision

#!/usr/bin/env python3
"""Runs differential test cases on moto's Amazon States Language interpreter.

Usage (from the repository root, after `bash scripts/test-env.sh`):

    target/test-venv/bin/python tests/differential/harness.py [CASE_OR_DIR ...]
    target/test-venv/bin/python tests/differential/harness.py --loop N

Without arguments every `*.json` file in tests/differential/cases/ is run.
Each case file holds `definition` (ASL JSON) and `input`; the harness creates
the state machine, starts one execution with the input, waits for it to end
and prints one JSON document to standard output:

    {"engine": "moto 5.2.5",
     "cases": {"<file stem>": {"status": "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED",
                               "output": <parsed JSON or null>,
                               "error": <string or null>,
                               "cause": <string or null>,
                               "events": ["ExecutionStarted", "PassStateEntered", ...]}
                          | {"harness_error": "<what went wrong>"}}}

`--loop N` instead runs a machine of N iterations of Pass, Pass, Choice and
prints {"loop": {...}} with the state transitions per second.

`--endpoint URL` talks to a Step Functions endpoint that is already running
(any server speaking the Step Functions JSON protocol) instead of starting
moto in this process. `--verbose` shows moto's logs of the errors it raises.

Nothing but the JSON document is written to standard output; moto's and the
server's logs go to standard error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

CASES_DIR = Path(__file__).resolve().parent / "cases"
ROLE_ARN = "arn:aws:iam::123456789012:role/sfini-differential"
REGION = "us-east-1"
POLL_SECONDS = 0.005


class HarnessError(Exception):
    """A case could not be run to its end; reported in place of its result."""


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """Starts moto's server on a free loopback port with ASL execution enabled.

    moto 5 mocks executions unless its configuration says
    `{"stepfunctions": {"execute_state_machine": true}}`; with it, every
    StartExecution runs the definition on moto's ASL interpreter. In server
    mode the configuration is set through the `/moto-api/config` endpoint.
    """
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        body = json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode()
        request = urllib.request.Request(
            f"{url}/moto-api/config",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        yield url
    finally:
        server.stop()


def client(endpoint: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "stepfunctions",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}, read_timeout=60),
    )


def aws_error(exc: Exception) -> str:
    """A boto3 error as `Code: message`, or the exception's own text."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        error = response["Error"]
        return f"{error.get('Code')}: {error.get('Message')}"
    return f"{type(exc).__name__}: {exc}"


def history(sfn: Any, execution_arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    token = None
    while True:
        args = {"executionArn": execution_arn, "maxResults": 1000}
        if token:
            args["nextToken"] = token
        page = sfn.get_execution_history(**args)
        events.extend(page["events"])
        token = page.get("nextToken")
        if not token:
            break
    events.sort(key=lambda event: event["id"])
    return events


def run_execution(
    sfn: Any, name: str, definition: Any, input_value: Any, timeout: float
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Creates a machine, runs it once; returns DescribeExecution and the history."""
    try:
        machine = sfn.create_state_machine(
            name=name, definition=json.dumps(definition), roleArn=ROLE_ARN
        )
    except Exception as exc:  # the engine refused the definition
        raise HarnessError(f"CreateStateMachine failed: {aws_error(exc)}") from exc
    machine_arn = machine["stateMachineArn"]
    try:
        try:
            started = sfn.start_execution(
                stateMachineArn=machine_arn, name="run", input=json.dumps(input_value)
            )
        except Exception as exc:
            raise HarnessError(f"StartExecution failed: {aws_error(exc)}") from exc
        execution_arn = started["executionArn"]
        deadline = time.monotonic() + timeout
        while True:
            described = sfn.describe_execution(executionArn=execution_arn)
            if described["status"] != "RUNNING":
                break
            if time.monotonic() > deadline:
                with contextlib.suppress(Exception):
                    sfn.stop_execution(executionArn=execution_arn)
                raise HarnessError(f"the execution was still RUNNING after {timeout} s")
            time.sleep(POLL_SECONDS)
        return described, history(sfn, execution_arn)
    finally:
        with contextlib.suppress(Exception):
            sfn.delete_state_machine(stateMachineArn=machine_arn)


def failure_details(events: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """Error and cause from the history's last execution-level failure event."""
    for event in reversed(events):
        for key in (
            "executionFailedEventDetails",
            "executionTimedOutEventDetails",
            "executionAbortedEventDetails",
        ):
            if key in event:
                details = event[key]
                return details.get("error"), details.get("cause")
    return None, None


def succeeded_output(events: list[dict[str, Any]], described: dict[str, Any]) -> str | None:
    """The execution's output as JSON text.

    Read from the ExecutionSucceeded event: moto's DescribeExecution gives a
    string output without its quotes and a null output as no output at all.
    """
    for event in reversed(events):
        details = event.get("executionSucceededEventDetails")
        if details is not None and "output" in details:
            return details["output"]
    return described.get("output")


def run_case(sfn: Any, path: Path, timeout: float) -> dict[str, Any]:
    try:
        case = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {"harness_error": f"cannot read {path}: {exc}"}
    if not isinstance(case, dict) or "definition" not in case:
        return {"harness_error": f"{path} has no `definition`"}
    name = "case-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in path.stem)
    try:
        described, events = run_execution(
            sfn, name[:80], case["definition"], case.get("input", {}), timeout
        )
        output_text = succeeded_output(events, described)
        error, cause = described.get("error"), described.get("cause")
        if described["status"] != "SUCCEEDED" and error is None and cause is None:
            error, cause = failure_details(events)
        try:
            output = None if output_text is None else json.loads(output_text)
        except ValueError:
            return {"harness_error": f"the execution's output is not JSON: {output_text!r}"}
        return {
            "status": described["status"],
            "output": output,
            "error": error,
            "cause": cause,
            "events": [event["type"] for event in events],
        }
    except HarnessError as exc:
        return {"harness_error": str(exc)}
    except Exception as exc:  # a crash of the engine must not end the run
        return {"harness_error": f"unexpected {aws_error(exc)}"}


def case_files(arguments: list[str]) -> list[Path]:
    if not arguments:
        arguments = [str(CASES_DIR)]
    files: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            files.extend(sorted(path.glob("*.json")))
        elif path.is_file():
            files.append(path)
        else:
            raise SystemExit(f"harness.py: {argument} is neither a case file nor a directory")
    stems = [file.stem for file in files]
    duplicates = sorted({stem for stem in stems if stems.count(stem) > 1})
    if duplicates:
        raise SystemExit(f"harness.py: case names must be unique, repeated: {duplicates}")
    return files


def loop_definition() -> dict[str, Any]:
    """N iterations of Pass, Pass, Choice; the counter is kept with States.MathAdd."""
    return {
        "Comment": "Benchmark loop: three state transitions per iteration",
        "StartAt": "Increment",
        "States": {
            "Increment": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"},
                "Next": "Carry",
            },
            "Carry": {"Type": "Pass", "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Increment"}
                ],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }


def run_loop(sfn: Any, iterations: int, timeout: float) -> dict[str, Any]:
    wall_start = time.perf_counter()
    described, events = run_execution(
        sfn, "loop-benchmark", loop_definition(), {"i": 0, "n": iterations}, timeout
    )
    wall = time.perf_counter() - wall_start
    if described["status"] != "SUCCEEDED":
        raise HarnessError(f"the loop machine ended {described['status']}: {described}")
    transitions = sum(1 for event in events if event["type"].endswith("StateEntered"))
    # startDate and stopDate come from the engine: the time the interpreter
    # took, without machine creation, polling and reading the history.
    engine = (described["stopDate"] - described["startDate"]).total_seconds()
    return {
        "iterations": iterations,
        "state_transitions": transitions,
        "history_events": len(events),
        "engine_seconds": engine,
        "wall_seconds": wall,
        "transitions_per_second": transitions / engine if engine > 0 else None,
    }


def engine_name(endpoint: str | None) -> str:
    if endpoint is not None:
        return f"endpoint {endpoint}"
    from importlib.metadata import version

    return f"moto {version('moto')}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case files or directories of case files")
    parser.add_argument("--loop", type=int, metavar="N", help="run the benchmark loop N times")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for one execution"
    )
    parser.add_argument("--endpoint", help="use this running Step Functions endpoint")
    parser.add_argument(
        "--verbose", action="store_true", help="show moto's logs of the errors it raises"
    )
    options = parser.parse_args()
    if options.loop is not None and (options.loop < 1 or options.cases):
        parser.error("--loop takes a positive N and no case files")

    files = case_files(options.cases) if options.loop is None else []

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if not options.verbose:
        # moto logs every run-time error of an execution, expected or not;
        # the results carry them already.
        logging.getLogger("moto").setLevel(logging.CRITICAL)
    stdout = sys.stdout
    # Anything the engine prints goes to standard error; standard output
    # carries only the JSON document.
    with contextlib.redirect_stdout(sys.stderr):
        with contextlib.ExitStack() as stack:
            endpoint = options.endpoint or stack.enter_context(moto_server())
            sfn = client(endpoint)
            if options.loop is not None:
                try:
                    result: dict[str, Any] = {
                        "engine": engine_name(options.endpoint),
                        "loop": run_loop(sfn, options.loop, options.timeout),
                    }
                except HarnessError as exc:
                    result = {"engine": engine_name(options.endpoint), "harness_error": str(exc)}
            else:
                cases = {path.stem: run_case(sfn, path, options.timeout) for path in files}
                result = {"engine": engine_name(options.endpoint), "cases": cases}
    json.dump(result, stdout, indent=1, sort_keys=True)
    stdout.write("\n")
    return 1 if "harness_error" in result else 0


if __name__ == "__main__":
    sys.exit(main())

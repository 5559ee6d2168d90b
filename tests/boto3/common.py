"""What the boto3 scripts share: a Step Functions client pointed at the
server that `sfini local serve` started (its URL in SFINI_ENDPOINT), with
dummy credentials, exactly as a program would point it at AWS."""

import json
import os
import sys
import time

import boto3
from botocore.config import Config

ROLE = "arn:aws:iam::123456789012:role/boto3-test"


def client(region="us-east-1", **config):
    return boto3.client(
        "stepfunctions",
        endpoint_url=os.environ["SFINI_ENDPOINT"],
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        # One attempt: a server error must show, not be retried away.
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=70, **config),
    )


def wait_closed(sfn, execution_arn, seconds=30):
    """DescribeExecution until the execution has closed."""
    deadline = time.monotonic() + seconds
    while True:
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING":
            return described
        if time.monotonic() > deadline:
            raise AssertionError(f"{execution_arn} still runs after {seconds} s")
        time.sleep(0.05)


def report(result):
    """Prints the result for the Rust test, as one line of JSON."""
    json.dump(result, sys.stdout, sort_keys=True, default=str)
    sys.stdout.write("\n")

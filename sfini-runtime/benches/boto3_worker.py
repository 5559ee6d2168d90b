#!/usr/bin/env python3
"""A plain boto3 activity worker: the baseline of the HTTP worker benchmark.

Usage (the benchmark starts it; by hand, from the repository root):

    target/test-venv/bin/python sfini-runtime/benches/boto3_worker.py \
        --endpoint http://127.0.0.1:8083 --activity-arn ARN --threads 64

Each thread holds its own boto3 client and loops: GetActivityTask, then
SendTaskSuccess with the output `null` (a no-op activity), one task at a
time, as the Python sfini worker's threads do. The script prints `ready`
once every thread has its client and has made one request, then serves
until it is killed.
"""

from __future__ import annotations

import argparse
import sys
import threading

import boto3
import botocore.config


def client(endpoint: str, threads: int):
    config = botocore.config.Config(
        # The service holds a poll up to 60 seconds.
        read_timeout=70,
        retries={"mode": "standard", "max_attempts": 5},
        max_pool_connections=max(10, threads),
    )
    session = boto3.session.Session()
    return session.client(
        "stepfunctions",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=config,
    )


def serve(sfn, activity_arn: str, name: str, ready: threading.Barrier) -> None:
    sfn.describe_activity(activityArn=activity_arn)
    ready.wait()
    while True:
        task = sfn.get_activity_task(activityArn=activity_arn, workerName=name)
        token = task.get("taskToken")
        if token:
            sfn.send_task_success(taskToken=token, output="null")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--activity-arn", required=True)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    ready = threading.Barrier(args.threads + 1)
    # Creating clients is not thread-safe: make them all first.
    clients = [client(args.endpoint, args.threads) for _ in range(args.threads)]
    for number, sfn in enumerate(clients):
        thread = threading.Thread(
            target=serve,
            args=(sfn, args.activity_arn, f"boto3-{number}", ready),
            daemon=True,
        )
        thread.start()
    ready.wait()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())

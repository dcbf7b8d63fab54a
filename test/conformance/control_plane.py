"""Runs CloudTrail control plane calls against an endpoint with boto3, a client nobody in this project wrote.

Usage: python3 control_plane.py <endpoint-url> <calls.json>
Each call: {"name", "op": <boto3 method name>, "params": {...}}; a string parameter "$<name>.<Key>" is
replaced by the Key of an earlier call's answer. Two helper ops:
- {"op": "wait_query", "params": {"QueryId"}}: DescribeQuery until the status is not QUEUED or RUNNING;
- {"op": "all_results", "params": {"QueryId", "MaxQueryResults"}}: GetQueryResults page after page with
  NextToken; answers {"pages": [<row count>...], "rows": [...], "tokens": [...]}.
Prints a JSON list of {"name", "ok": <answer>} or {"name", "error": {"code", "message", "status",
"exceptionClass"}}. Timestamps are printed as "datetime:<iso>" to show botocore parsed them.
Credentials come from the AWS_* environment; retries are off so every answer is seen as sent.
"""
import datetime
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def encode(value):
    if isinstance(value, datetime.datetime):
        return "datetime:" + value.isoformat()
    raise TypeError(type(value).__name__)


def resolve(value, answers):
    if isinstance(value, str) and value.startswith("$"):
        name, key = value[1:].split(".", 1)
        return answers[name][key]
    if isinstance(value, dict):
        return {key: resolve(item, answers) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, answers) for item in value]
    return value


def wait_query(client, params):
    deadline = time.time() + 30
    while True:
        answer = client.describe_query(**params)
        if answer["QueryStatus"] not in ("QUEUED", "RUNNING") or time.time() > deadline:
            return answer
        time.sleep(0.05)


def all_results(client, params):
    pages, rows, tokens = [], [], []
    request = dict(params)
    while True:
        answer = client.get_query_results(**request)
        pages.append(len(answer.get("QueryResultRows", [])))
        rows.extend(answer.get("QueryResultRows", []))
        token = answer.get("NextToken")
        if token is None:
            return {"pages": pages, "rows": rows, "tokens": tokens, "statistics": answer["QueryStatistics"]}
        tokens.append(token)
        request["NextToken"] = token


def main():
    endpoint, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as handle:
        calls = json.load(handle)
    client = boto3.client(
        "cloudtrail",
        endpoint_url=endpoint,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    answers, results = {}, []
    for call in calls:
        params = resolve(call.get("params", {}), answers)
        try:
            if call["op"] == "wait_query":
                answer = wait_query(client, params)
            elif call["op"] == "all_results":
                answer = all_results(client, params)
            else:
                answer = getattr(client, call["op"])(**params)
            answer.pop("ResponseMetadata", None)
            answers[call["name"]] = answer
            results.append({"name": call["name"], "ok": answer})
        except ClientError as error:
            results.append(
                {
                    "name": call["name"],
                    "error": {
                        "code": error.response["Error"]["Code"],
                        "message": error.response["Error"].get("Message", ""),
                        "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                        "exceptionClass": type(error).__name__,
                    },
                }
            )
    print(json.dumps(results, default=encode))


if __name__ == "__main__":
    main()

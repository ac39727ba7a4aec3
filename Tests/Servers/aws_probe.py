"""Reads and writes S3 and Athena on a test server with boto3, independently of pipec.

    python aws_probe.py mkbucket BUCKET
    python aws_probe.py put BUCKET KEY FILE
    python aws_probe.py list BUCKET PREFIX            -> one "key<TAB>size" line per object
    python aws_probe.py get BUCKET KEY                -> the object's bytes on stdout
    python aws_probe.py athena-queries [REGION]       -> JSON list of {query, database, state}

Endpoint and keys come from PIPEC_TEST_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.
"""
import json
import os
import sys

import boto3


def client(service, region=None):
    return boto3.client(
        service,
        endpoint_url=os.environ["PIPEC_TEST_S3_ENDPOINT"],
        region_name=region or os.environ.get("AWS_REGION", "us-east-1"),
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    )


def main(argv):
    command = argv[1]
    if command == "mkbucket":
        s3 = client("s3")
        try:
            s3.create_bucket(Bucket=argv[2])
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
    elif command == "put":
        with open(argv[4], "rb") as f:
            client("s3").put_object(Bucket=argv[2], Key=argv[3], Body=f.read())
    elif command == "list":
        paginator = client("s3").get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=argv[2], Prefix=argv[3]):
            for item in page.get("Contents", []):
                print(f"{item['Key']}\t{item['Size']}")
    elif command == "get":
        body = client("s3").get_object(Bucket=argv[2], Key=argv[3])["Body"].read()
        sys.stdout.buffer.write(body)
    elif command == "athena-queries":
        # moto keeps each region's query executions apart: ask the region the spec's athena resource names.
        athena = client("athena", argv[2] if len(argv) > 2 else None)
        ids = athena.list_query_executions().get("QueryExecutionIds", [])
        out = []
        for query_id in ids:
            e = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
            out.append({
                "query": e.get("Query"),
                "database": e.get("QueryExecutionContext", {}).get("Database"),
                "state": e.get("Status", {}).get("State"),
            })
        print(json.dumps(out))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)

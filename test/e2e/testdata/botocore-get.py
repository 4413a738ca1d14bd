"""Sign a GET with botocore's SigV4Auth (the AWS CLI's signer) exactly as given, send it, print status and body."""
import sys
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

url, access_key, secret_key = sys.argv[1:4]
req = AWSRequest(method="GET", url=url)
SigV4Auth(Credentials(access_key, secret_key), "aps", "us-east-1").add_auth(req)
prepared = req.prepare()
try:
    with urllib.request.urlopen(urllib.request.Request(prepared.url, headers=dict(prepared.headers))) as r:
        print(r.status)
        print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code)
    print(e.read().decode())

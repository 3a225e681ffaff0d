"""Sign the demo personas in through the API (`POST /api/v1/auth/token/`) and print one
`NAME=TOKEN` line each, for .ci/schemathesis.sh. Staff add a TOTP code computed from the device
key `seed_demo --json` prints (demo data only), the way an authenticator app would. The demo
department system gets an OAuth2 access token by client credentials
(`POST /api/v1/systems/token/`) and is printed as `system=TOKEN`.

usage: schemathesis_tokens.py BASE_URL ACCOUNTS_JSON
"""

import base64
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.parse
import urllib.request

PERSONAS = {
    "resident": "resident@demo.cn",
    "clerk": "clerk@demo.gov",
    "counter": "counter@demo.gov",
}


def totp(secret: str, *, step: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def main() -> None:
    base_url, accounts_path = sys.argv[1], sys.argv[2]
    with open(accounts_path, encoding="utf-8") as accounts_file:
        accounts = {account["login"]: account for account in json.load(accounts_file)}
    for name, login in PERSONAS.items():
        account = accounts[login]
        body = {"login": login, "password": account["password"]}
        if account.get("totp_secret"):
            body["otp"] = totp(account["totp_secret"])
        # The loopback server this script's caller started (http only).
        request = urllib.request.Request(  # noqa: S310
            f"{base_url}/api/v1/auth/token/",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept-Language": "en"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            token = json.load(answer)["token"]
        print(f"{name}={token}")
    system = next(a for a in accounts.values() if a["role"] == "department system")
    credentials = f"{system['login']}:{system['password']}".encode()
    request = urllib.request.Request(  # noqa: S310
        f"{base_url}/api/v1/systems/token/",
        data=urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": "Basic " + base64.b64encode(credentials).decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        print(f"system={json.load(answer)['access_token']}")


if __name__ == "__main__":
    main()

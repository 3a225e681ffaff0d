import re


def test_api_docs_work_under_the_content_security_policy(client, db):
    # given the CSP forbids inline script and style
    page = client.get("/api/docs/")
    assert "script-src 'self'" in page["Content-Security-Policy"]
    body = page.content.decode()
    # then the docs page has none: every script and style is a file of this site
    assert not re.search(r"<script>|<style|style=", body)
    script = re.findall(r'<script src="([^"]+)"', body)[-1]
    start = client.get(script)
    assert start.status_code == 200 and "SwaggerUIBundle" in start.content.decode()
    assert client.get("/api/schema/").status_code == 200

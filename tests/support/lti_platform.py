"""An LTI 1.3 platform simulated for the tests, served on loopback in a thread.

It has its own RSA key pair and JWKS (``/jwks``), signs login and launch tokens as Moodle would,
and answers as a platform's services do: an OAuth 2 token endpoint (``/token``) that checks the
tool's signed JWT assertion against the tool's own JWKS, a line items container (``/lineitems``)
and score endpoints (``…/scores``) that record what they receive.
"""

from __future__ import annotations

import html
import json
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def rsa_key() -> tuple[str, dict]:
    """A fresh RSA key: (private PEM, public JWK with kid and alg)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    jwk = JWK.from_pem(pem.encode())
    public = json.loads(jwk.export_public())
    public.update(kid=jwk.thumbprint(), alg="RS256", use="sig")
    return pem, public


class Platform:
    """The simulated platform; ``url`` is its issuer, every endpoint lives under it."""

    client_id = "parcours-tool"
    deployment_id = "deployment-1"

    def __init__(self) -> None:
        self.pem, self.jwk = rsa_key()
        self.tool_jwks_url: str | None = None
        self.tokens: list[dict] = []  # the tool's verified token requests
        self.scores: list[dict] = []  # (path, body) of every score received
        self.lineitems: list[dict] = []
        self.deep_link_answers: list[str] = []  # JWTs posted back by the tool's picker
        self.fail_scores = False
        #: ``claims(nonce) -> dict`` used by the authentication endpoint (a browser's journey).
        self.auth_claims = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.platform = self
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Platform:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def registration(self) -> dict:
        """The values an administrator types on « Plateformes LTI »."""
        return {
            "name": "Moodle simulé",
            "issuer": self.url,
            "client_id": self.client_id,
            "auth_login_url": f"{self.url}/auth",
            "auth_token_url": f"{self.url}/token",
            "key_set_url": f"{self.url}/jwks",
            "deployment_ids": self.deployment_id,
        }

    def sign(self, claims: dict, pem: str | None = None, kid: str | None = None) -> str:
        """A token signed by the platform's key (or by ``pem`` to forge one)."""
        headers = {"kid": kid or self.jwk["kid"]}
        return jwt.encode(claims, pem or self.pem, algorithm="RS256", headers=headers)

    def claims(self, nonce: str, sub: str = "u-1", **extra) -> dict:
        """The claims of a resource-link launch; ``extra`` adds or replaces claims."""
        now = int(time.time())
        body = {
            "iss": self.url,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Camille Martin",
            "given_name": "Camille",
            "family_name": "Martin",
            "email": f"{sub}@plateforme.example.org",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "roles": [LEARNER],
            LTI + "resource_link": {"id": "link-1", "title": "Parcours"},
            LTI + "target_link_uri": "",
        }
        body.update(extra)
        return body

    def ags_claim(self, lineitem: bool = True) -> dict:
        """The AGS claim of a launch: a line item of its own, or only the container."""
        claim = {"scope": [SCORE, LINEITEM], "lineitems": f"{self.url}/lineitems"}
        if lineitem:
            claim["lineitem"] = f"{self.url}/lineitems/1/lineitem"
        return {"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": claim}

    def deep_linking_claims(self, nonce: str, sub: str = "teacher-1") -> dict:
        """The claims of a deep-linking request from an instructor."""
        settings = {
            "deep_link_return_url": f"{self.url}/deep-link-return",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"],
            "data": "moodle-data-42",
        }
        claims = self.claims(nonce, sub=sub)
        claims.pop(LTI + "resource_link")
        claims.update(
            {
                LTI + "message_type": "LtiDeepLinkingRequest",
                LTI + "roles": [INSTRUCTOR],
                "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": settings,
            }
        )
        return claims

    def login(self, browser: requests.Session, tool: str, target: str) -> dict:
        """Start the OIDC flow at the tool; return the auth request's parameters (state, nonce)."""
        response = browser.get(
            f"{tool}/lti/connexion",
            params={
                "iss": self.url,
                "login_hint": "hint-1",
                "target_link_uri": target,
                "client_id": self.client_id,
                "lti_message_hint": "msg-1",
            },
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text
        location = urllib.parse.urlsplit(response.headers["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{self.url}/auth"
        return dict(urllib.parse.parse_qsl(location.query))

    def launch(self, browser, tool: str, target: str | None = None, make=None, **sign):
        """Login initiation then launch, as a browser would; ``make(nonce)`` builds the claims.

        Returns (response, posted form) so a test can replay the same post.
        """
        target = target or f"{tool}/lti/lancement"
        auth = self.login(browser, tool, target)
        claims = (make or self.claims)(auth["nonce"])
        form = {"id_token": self.sign(claims, **sign), "state": auth["state"]}
        return browser.post(auth["redirect_uri"], data=form, allow_redirects=False), form

    def check_assertion(self, form: dict) -> None:
        """Verify the tool's client-credentials assertion with the tool's published keys."""
        token = form["client_assertion"]
        kid = jwt.get_unverified_header(token)["kid"]
        keys = requests.get(self.tool_jwks_url, timeout=10).json()["keys"]
        key = next(k for k in keys if k["kid"] == kid)
        public = jwt.PyJWK.from_dict(key).key
        claims = jwt.decode(token, public, algorithms=["RS256"], audience=f"{self.url}/token")
        assert claims["iss"] == claims["sub"] == self.client_id
        self.tokens.append({"scope": form.get("scope"), "claims": claims})


class _Handler(BaseHTTPRequestHandler):
    """The platform's HTTP side; ``self.server.platform`` is the :class:`Platform`."""

    @property
    def platform(self) -> Platform:
        """The simulated platform this server belongs to."""
        return self.server.platform

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body=None, ctype="application/json", raw: bytes = b""):
        data = json.dumps(body).encode() if body is not None else raw
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorised(self) -> bool:
        return self.headers.get("Authorization") == "Bearer platform-access-token"

    def _auth_form(self) -> None:
        """The platform's answer to the OIDC authentication request: a form post."""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        claims = (self.platform.auth_claims or self.platform.claims)(query["nonce"])
        fields = {"id_token": self.platform.sign(claims), "state": query["state"]}
        inputs = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in fields.items()
        )
        page = (
            f'<!doctype html><html lang="fr"><title>Moodle</title><form method="post" '
            f'action="{html.escape(query["redirect_uri"])}">{inputs}'
            "<button>Ouvrir Parcours</button></form></html>"
        )
        self._send(200, None, "text/html; charset=utf-8", page.encode())

    def do_GET(self) -> None:
        if self.path.startswith("/auth?"):
            return self._auth_form()
        if self.path == "/jwks":
            return self._send(200, {"keys": [self.platform.jwk]})
        if self.path.startswith("/lineitems") and self._authorised():
            return self._send(200, self.platform.lineitems)
        return self._send(404, {})

    def do_POST(self) -> None:
        body = self._body()
        if self.path == "/deep-link-return":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            self.platform.deep_link_answers.append(form.get("JWT", ""))
            page = '<!doctype html><html lang="fr"><title>Moodle</title><h1>Contenu ajouté</h1>'
            return self._send(200, None, "text/html; charset=utf-8", page.encode())
        if self.path == "/token":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            try:
                self.platform.check_assertion(form)
            except Exception as exc:  # noqa: BLE001 - any bad assertion is a 401
                return self._send(401, {"error": str(exc)})
            return self._send(200, {"access_token": "platform-access-token", "expires_in": 60})
        if not self._authorised():
            return self._send(401, {})
        if self.path == "/lineitems":
            item = json.loads(body)
            item["id"] = f"{self.platform.url}/lineitems/{uuid.uuid4().hex[:8]}/lineitem"
            self.platform.lineitems.append(item)
            return self._send(201, item)
        if self.path.endswith("/scores"):
            if self.platform.fail_scores:
                return self._send(503, {"error": "gradebook unavailable"})
            self.platform.scores.append({"path": self.path, "score": json.loads(body)})
            return self._send(200, {})
        return self._send(404, {})


class ServedTool:
    """The app under test served on loopback (werkzeug, threaded) while the test runs."""

    def __init__(self, app) -> None:
        from werkzeug.serving import make_server

        from tests.support.wsgi import closing

        self._server = make_server("127.0.0.1", 0, closing(app), threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        app.config["LMS_BASE_URL"] = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> ServedTool:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()

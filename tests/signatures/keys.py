"""Seal keys for tests: one throw-away CA per test session, in a temporary directory."""

import pytest


@pytest.fixture(scope="session")
def signing_keys_root(tmp_path_factory):
    return tmp_path_factory.mktemp("signing-keys")


@pytest.fixture(autouse=True)
def _signing_keys_dir(settings, signing_keys_root):
    settings.SIGNING_KEYS_DIR = signing_keys_root
    settings.SIGNING_PKCS12_PATH = ""
    settings.SIGNING_PKCS12_PASSWORD = ""

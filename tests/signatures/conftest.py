from tests.signatures.keys import _signing_keys_dir, signing_keys_root  # noqa: F401

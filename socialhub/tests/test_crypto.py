import pytest
from cryptography.fernet import Fernet

from kernel import crypto


def test_round_trip_and_ciphertext_hides_plaintext():
    secret = "1/abcdefghijklmnopqrstuvwxyz012345"
    ciphertext = crypto.encrypt(secret)
    assert secret not in ciphertext
    assert crypto.decrypt(ciphertext) == secret


def test_key_rotation_keeps_old_ciphertexts_readable(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    old_ciphertext = crypto.encrypt("token-under-old-key")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert crypto.decrypt(old_ciphertext) == "token-under-old-key"
    rotated = crypto.rotate(old_ciphertext)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "token-under-old-key"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(old_ciphertext)

"""Token encryption at rest: the field, the key list, legacy plaintext and key rotation."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from accounts.encryption import value_decrypt, value_encrypt
from accounts.models import OAuthAccount
from accounts.tests.factories import OAuthAccountFactory
from accounts.tests.helpers import raw_tokens, write_raw

pytestmark = pytest.mark.django_db

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_the_columns_hold_ciphertext_and_the_model_plaintext():
    link = OAuthAccountFactory(access_token="ya29.secret-access", refresh_token="1//secret-refresh")

    access, refresh = raw_tokens(link)

    assert access.startswith("fernet:") and "secret" not in access
    assert refresh.startswith("fernet:") and "secret" not in refresh
    fresh = OAuthAccount.objects.get(pk=link.pk)
    assert (fresh.access_token, fresh.refresh_token) == ("ya29.secret-access", "1//secret-refresh")


def test_empty_tokens_stay_empty():
    link = OAuthAccountFactory(access_token=None, refresh_token="")
    assert raw_tokens(link) == (None, "")


def test_legacy_plaintext_reads_as_it_is():
    link = OAuthAccountFactory()
    write_raw(link, "ya29.legacy", None)
    assert OAuthAccount.objects.get(pk=link.pk).access_token == "ya29.legacy"


def test_every_key_decrypts_and_the_first_encrypts(settings):
    settings.OAUTH_TOKEN_KEYS = [OLD_KEY]
    old = value_encrypt("t")
    settings.OAUTH_TOKEN_KEYS = [NEW_KEY, OLD_KEY]
    assert value_decrypt(old) == "t"
    assert Fernet(NEW_KEY).decrypt(value_encrypt("t").removeprefix("fernet:").encode()) == b"t"


def test_a_token_under_a_removed_key_reads_as_none_not_an_error(settings):
    settings.OAUTH_TOKEN_KEYS = [OLD_KEY]
    link = OAuthAccountFactory(access_token="ya29.x")
    settings.OAUTH_TOKEN_KEYS = [NEW_KEY]
    assert OAuthAccount.objects.get(pk=link.pk).access_token is None


def test_rotate_reencrypts_old_keys_and_legacy_plaintext_under_the_first_key(settings, capsys):
    settings.OAUTH_TOKEN_KEYS = [OLD_KEY]
    old = OAuthAccountFactory(access_token="ya29.old", refresh_token="1//old")
    legacy = OAuthAccountFactory()
    write_raw(legacy, "gho_plain", None)
    settings.OAUTH_TOKEN_KEYS = [NEW_KEY, OLD_KEY]

    call_command("rotate_oauth_keys", batch_size=1)

    settings.OAUTH_TOKEN_KEYS = [NEW_KEY]  # the old key can go now
    assert OAuthAccount.objects.get(pk=old.pk).refresh_token == "1//old"
    assert OAuthAccount.objects.get(pk=legacy.pk).access_token == "gho_plain"
    assert "plain" not in raw_tokens(legacy)[0]
    assert "Re-encrypted 2 " in capsys.readouterr().out


def test_rotate_is_safe_to_rerun(settings, capsys):
    link = OAuthAccountFactory(access_token="ya29.a")
    call_command("rotate_oauth_keys")
    before = raw_tokens(link)
    call_command("rotate_oauth_keys")
    assert raw_tokens(link) == before
    assert "Re-encrypted 0 " in capsys.readouterr().out.splitlines()[-1]


def test_rotate_leaves_rows_no_key_opens_and_says_so(settings):
    settings.OAUTH_TOKEN_KEYS = [OLD_KEY]
    lost = OAuthAccountFactory(access_token="ya29.lost")
    before = raw_tokens(lost)
    settings.OAUTH_TOKEN_KEYS = [NEW_KEY]

    with pytest.raises(CommandError, match=str(lost.pk)):
        call_command("rotate_oauth_keys")

    assert raw_tokens(lost) == before

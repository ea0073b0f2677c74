# Encrypt OAuth tokens at rest (same column type: no SQL, only the field class changes).

import accounts.encryption
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_legacy_timestamps_to_utc'),
    ]

    operations = [
        migrations.AlterField(
            model_name='oauthaccount',
            name='access_token',
            field=accounts.encryption.EncryptedTextField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='oauthaccount',
            name='refresh_token',
            field=accounts.encryption.EncryptedTextField(blank=True, null=True),
        ),
    ]

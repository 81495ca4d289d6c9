import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_authenticator_deskmembership_userrole_and_more'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='desk',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='desk',
            name='update_update',
        ),
        migrations.AddField(
            model_name='desk',
            name='name_en',
            field=models.CharField(max_length=120, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='desk',
            name='name_fr',
            field=models.CharField(max_length=120, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='deskevent',
            name='name_en',
            field=models.CharField(max_length=120, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='deskevent',
            name='name_fr',
            field=models.CharField(max_length=120, null=True, verbose_name='name'),
        ),
        # Existing desks keep their name as the English one (before the history triggers come back, so
        # that the copy records no event); the French name is left to be written.
        migrations.RunSQL(
            'UPDATE "accounts_desk" SET "name_en" = "name" WHERE "name_en" IS NULL',
            reverse_sql=migrations.RunSQL.noop,
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='desk',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "accounts_deskevent" ("code", "head_id", "id", "name", "name_en", "name_fr", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."code", NEW."head_id", NEW."id", NEW."name", NEW."name_en", NEW."name_fr", _pgh_attach_context(), NOW(), \'insert\', NEW."id"); RETURN NULL;', hash='c72a2272bf22842b182e68ccda141f27d11f9ce8', operation='INSERT', pgid='pgtrigger_insert_insert_4ca3a', table='accounts_desk', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='desk',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "accounts_deskevent" ("code", "head_id", "id", "name", "name_en", "name_fr", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."code", NEW."head_id", NEW."id", NEW."name", NEW."name_en", NEW."name_fr", _pgh_attach_context(), NOW(), \'update\', NEW."id"); RETURN NULL;', hash='b05961ab17547fa75f44a1b0ed266c362b95fb3e', operation='UPDATE', pgid='pgtrigger_update_update_29855', table='accounts_desk', when='AFTER')),
        ),
    ]

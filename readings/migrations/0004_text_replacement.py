"""A record of each replacement of a reading's text: who, when, which file, what it changed."""

from __future__ import annotations

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('readings', '0003_chapter_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TextReplacement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('filename', models.CharField(max_length=255)),
                ('size', models.PositiveBigIntegerField(help_text='Bytes.')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('format', models.CharField(blank=True, max_length=20)),
                ('state', models.CharField(choices=[('queued', 'Waiting to start'), ('running', 'Saving'), ('done', 'Done'), ('failed', 'Failed')], default='done', max_length=10)),
                ('stage', models.CharField(blank=True, max_length=100)),
                ('progress', models.PositiveSmallIntegerField(default=0, help_text='Percent.')),
                ('error', models.TextField(blank=True)),
                ('old_version', models.PositiveIntegerField(blank=True, null=True)),
                ('new_version', models.PositiveIntegerField(blank=True, null=True)),
                ('chapters_added', models.PositiveIntegerField(default=0)),
                ('chapters_removed', models.PositiveIntegerField(default=0)),
                ('chapters_renamed', models.PositiveIntegerField(default=0)),
                ('chapters_renumbered', models.PositiveIntegerField(default=0)),
                ('passages_kept', models.PositiveIntegerField(default=0)),
                ('passages_changed', models.PositiveIntegerField(default=0)),
                ('passages_added', models.PositiveIntegerField(default=0)),
                ('passages_removed', models.PositiveIntegerField(default=0)),
                ('threads_stay', models.PositiveIntegerField(default=0)),
                ('threads_moved', models.PositiveIntegerField(default=0)),
                ('threads_drifted', models.PositiveIntegerField(default=0)),
                ('threads_orphaned', models.PositiveIntegerField(default=0)),
                ('report', models.JSONField(blank=True, default=dict)),
                ('expected', models.JSONField(blank=True, default=dict, help_text='The fates the preview promised, by thread.')),
                ('differences', models.JSONField(blank=True, default=list, help_text="Threads whose fate differs from the preview's.")),
                ('upload', models.BinaryField(blank=True, null=True)),
                ('reading', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='replacements', to='readings.reading')),
                ('replaced_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'get_latest_by': 'created_at',
            },
        ),
    ]

"""Writing help: the list of plainer words, and room in the history for long reasons."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('conditions', '0009_seed_urgent_advice'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalcondition',
            name='history_change_reason',
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name='historicalguide',
            name='history_change_reason',
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name='historicaltreatment',
            name='history_change_reason',
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name='historicalurgentadvice',
            name='history_change_reason',
            field=models.TextField(null=True),
        ),
        migrations.CreateModel(
            name='PlainerWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(help_text='As you would write it, e.g. “utilize” or “in order to”. Plurals and “-ed” forms are found too (“anesthetics”, “utilized”).', max_length=100, verbose_name='hard word or phrase')),
                ('suggestion', models.CharField(help_text='The plainer word or words, e.g. “use” or “numbing medicine”.', max_length=200, verbose_name='say instead')),
                ('language', models.CharField(choices=[('en', 'English'), ('es', 'Spanish')], default='en', max_length=5, verbose_name='language')),
            ],
            options={
                'verbose_name': 'plainer word',
                'verbose_name_plural': 'plainer words',
                'ordering': ['language', 'word'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('word'), models.F('language'), name='conditions_plainerword_unique_word', violation_error_message='This word is already on the list for this language.'), models.CheckConstraint(condition=models.Q(models.Q(('word', ''), _negated=True), models.Q(('suggestion', ''), _negated=True)), name='conditions_plainerword_filled')],
            },
        ),
    ]

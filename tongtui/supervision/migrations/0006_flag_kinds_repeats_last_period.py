from django.db import migrations, models


class Migration(migrations.Migration):
    """Two integrity flag kinds: a report sent in as the form pre-filled it, or as last period's with only the
    figures changed (the report form warns before submission)."""

    dependencies = [
        ("supervision", "0005_light_policy_history"),
    ]

    operations = [
        migrations.AlterField(
            model_name="integrityflag",
            name="kind",
            field=models.CharField(
                choices=[
                    ("text_repeats_own", "Text repeats the unit's earlier report"),
                    ("text_matches_other_unit", "Text matches another unit's report"),
                    ("progress_jump", "Progress jump"),
                    ("deadline_jump", "Straight to 100% at the deadline"),
                    ("completion_without_evidence", "Completion without evidence"),
                    ("stuck_near_done", "Stuck at 80–95%"),
                    ("edited_after_submission", "Edited after submission"),
                    ("backdated", "Filed long after its period"),
                    ("indicator_out_of_bounds", "Indicator out of bounds"),
                    ("indicator_decreased", "Cumulative indicator fell"),
                    ("indicator_inconsistent", "Indicator inconsistent with progress"),
                    ("evidence_reused", "Evidence file reused"),
                    ("same_as_prefill", "Submitted as pre-filled: last period's next steps"),
                    ("figures_changed_only", "Last period's report with only the figures changed"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
    ]

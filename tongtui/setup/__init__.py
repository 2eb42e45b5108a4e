"""The office's set-up pages: plan years, units, unit groups, posts, people and logins, report cycles,
reminders, light thresholds and working days. The top floor: it calls every other app's actions."""

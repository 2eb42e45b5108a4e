"""The demo district: a fictional 示范区 with its units, people and a year of key tasks."""

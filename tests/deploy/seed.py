"""What the production smoke run starts from: the test cast (units, people with logins, a plan) and a monthly
report cycle, written into the smoke run's own database. Run as `python -m tests.deploy.seed`."""

import django


def main() -> None:
    django.setup()
    from tests.conftest import Cast
    from tongtui.dispatch import actions_cycles

    cast = Cast()
    actions_cycles.set_report_cycle(by=cast.user("office"), plan=cast.plan, day_of_month=25)


if __name__ == "__main__":
    main()

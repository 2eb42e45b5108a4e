from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError

"""The web benchmark's own helpers (benchmarks/): what it reads is what a browser would send,
and what it counts is there. No timings here: those are scripts/benchmark.sh's business."""

import os

import pytest
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import RequestFactory

from benchmarks.middleware import QUERIES_HEADER, QueryCountMiddleware
from benchmarks.web import cpu_seconds, form_with, memory

PAGE = b"""
<form method="post" action="/i18n/setlang/"><input name="language" value="en"></form>
<form method="post" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="t&amp;k">
  <input type="hidden" name="version" value="3">
  <input type="radio" name="status" value="on_track">
  <input type="radio" name="status" value="delayed" checked>
  <input type="number" name="percent_done" value="40">
  <textarea name="work_done">Gjort &amp; klart</textarea>
  <select name="goal"><option value="1">Ett</option><option value="2">Tv\xc3\xa5</option></select>
  <select name="area"><option value="a">A</option><option value="b" selected>B</option></select>
  <button type="submit" name="save" value="1">Spara utkast</button>
</form>
"""


def test_a_form_is_read_as_a_browser_would_send_it():
    fields, choices = form_with(PAGE, "version")
    assert fields == {
        "csrfmiddlewaretoken": "t&k",
        "version": "3",
        "status": "delayed",
        "percent_done": "40",
        "work_done": "Gjort & klart",
        "goal": "1",  # no option selected: the first
        "area": "b",
    }
    assert choices["status"] == ["on_track", "delayed"]
    with pytest.raises(ValueError):
        form_with(PAGE, "password")


@pytest.mark.django_db
def test_the_middleware_counts_each_requests_queries():
    def view(request):
        list(Group.objects.all())
        list(Group.objects.all())
        return HttpResponse()

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response[QUERIES_HEADER] == "2"


def test_cpu_time_and_memory_are_read_from_proc():
    before = cpu_seconds(os.getpid())
    sum(i * i for i in range(300_000))
    assert cpu_seconds(os.getpid()) >= before > 0
    rss, pss = memory(os.getpid())
    assert rss >= pss > 0

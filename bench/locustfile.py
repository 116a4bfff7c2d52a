"""Simulated briefing officers: BriefingOfficer posts random theme, region and layer changes
to the view callback, as the browser would; ExportingOfficer now and then exports an A4 map
(both run in the soak test, only the first in the filter load test)."""

import os
import random

import gevent
from locust import HttpUser, between, events, task

import ids
from bench.payloads import (
    export_callback,
    export_values,
    payload,
    random_filter_change,
    view_callback,
)
from presence.layer_registry import LAYERS

THEMES = ["defence-cooperation", "domestic-security", "civil-security", "maritime-security",
          "environmental-crime"]
REGIONS = ["world", "indo-pacific", "indian-ocean", "pacific", "south-east-asia", "east-africa",
           "west-africa", "europe"]


@events.test_start.add_listener
def stop_when_told(environment, **_):
    """A run with no time limit (bench/hostile.py: for as long as a phase's work lasts) stops
    when the file BENCH_STOP_FILE names appears, as at the end of a `-t` run: a SIGTERM may
    land in a greenlet that swallows it, and twice left locust running."""
    path = os.environ.get("BENCH_STOP_FILE")
    if not path:
        return

    def watch():
        while not os.path.exists(path):
            gevent.sleep(0.25)
        environment.runner.quit()

    gevent.spawn(watch)


class BriefingOfficer(HttpUser):
    weight = 9
    wait_time = between(0.05, 0.2)

    def on_start(self):
        self.rng = random.Random()
        self.callback = view_callback(self.client.get("/_dash-dependencies").json())
        self.version = None  # the data's version the page was drawn with, as a browser keeps it

    @task
    def change_filter(self):
        values, changed = random_filter_change(self.rng, THEMES, REGIONS, list(LAYERS))
        values[f"{ids.DATA_VERSION}.data"] = self.version
        answer = self.client.post("/_dash-update-component",
                                  json=payload(self.callback, values, changed),
                                  name="filter callback")
        # After a layer is imported the page gets the whole map once, with the new version.
        if answer.status_code == 200:
            drawn = answer.json()["response"].get(ids.DATA_VERSION, {}).get("data")
            self.version = drawn if drawn is not None else self.version


class ExportingOfficer(HttpUser):
    weight = 1  # one in ten users exports, every few seconds
    wait_time = between(2, 5)

    def on_start(self):
        self.rng = random.Random()
        self.callback = export_callback(self.client.get("/_dash-dependencies").json())

    @task
    def export_map(self):
        values, changed = export_values(self.rng, THEMES, REGIONS)
        with self.client.post("/_dash-update-component",
                              json=payload(self.callback, values, changed), name="export",
                              catch_response=True) as response:
            body = response.json() if response.status_code == 200 else {}
            if "export-download" not in body.get("response", {}):
                response.failure(f"no image: {response.status_code} {response.text[:120]}")
